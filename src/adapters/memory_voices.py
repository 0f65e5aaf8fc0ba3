"""The voice settings of the in-memory unit of work (per-user voices, pronunciations, queue volumes)."""

from __future__ import annotations

from collections.abc import Collection

import attrs

from tts_core.errors import InvalidVoiceMix
from tts_core.model import QueueKind
from tts_core.ports import VoiceCatalog, VoiceSettings
from tts_core.pronunciation import Pronunciation
from tts_core.voice_mix import VoiceMix


@attrs.define
class VoiceTables:
    """The in-memory tables behind :class:`InMemoryVoiceSettings` (copied with the rest on each unit of work)."""

    user_voices: dict[str, str] = attrs.Factory(dict)
    pronunciations: dict[str, Pronunciation] = attrs.Factory(dict)
    volumes: dict[QueueKind, float] = attrs.Factory(dict)


class InMemoryVoiceSettings(VoiceSettings):
    """Mixed into ``InMemoryUnitOfWork``: reads and writes ``self.voice_tables``."""

    voice_tables: VoiceTables

    def user_voices(self) -> dict[str, str]:
        return dict(sorted(self.voice_tables.user_voices.items()))

    def user_voice(self, user: str) -> str | None:
        return self.voice_tables.user_voices.get(user)

    def voices_of(self, users: Collection[str]) -> dict[str, str]:
        voices = self.voice_tables.user_voices
        return {user: voices[user] for user in set(users) if user in voices}

    def set_user_voice(self, user: str, voice: str) -> None:
        self.voice_tables.user_voices[user] = voice

    def delete_user_voice(self, user: str) -> bool:
        return self.voice_tables.user_voices.pop(user, None) is not None

    def pronunciations(self) -> list[Pronunciation]:
        return [self.voice_tables.pronunciations[word] for word in sorted(self.voice_tables.pronunciations)]

    def set_pronunciation(self, entry: Pronunciation) -> None:
        self.voice_tables.pronunciations[entry.word] = entry

    def delete_pronunciation(self, word: str) -> bool:
        return self.voice_tables.pronunciations.pop(word, None) is not None

    def queue_volumes(self) -> dict[QueueKind, float]:
        return {queue: self.voice_tables.volumes.get(queue, 1.0) for queue in QueueKind}

    def set_queue_volume(self, queue: QueueKind, volume: float) -> None:
        self.voice_tables.volumes[queue] = volume


@attrs.frozen
class KnownVoiceCatalog(VoiceCatalog):
    """A voice catalog of a fixed set of voice ids; ``None`` accepts any voice (the tone engine speaks any)."""

    known: frozenset[str] | None = None

    def check(self, mix: VoiceMix) -> None:
        if self.known is None:
            return
        unknown = [c.name for c in mix.components if c.name not in self.known]
        if unknown:
            raise InvalidVoiceMix(f"unknown voice {', '.join(unknown)}; known: {', '.join(sorted(self.known))}")
