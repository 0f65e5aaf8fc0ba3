"""The voice settings a unit of work also reads and writes: per-user voices, pronunciations, queue volumes."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from tts_core.model import QueueKind
from tts_core.pronunciation import Pronunciation


class VoiceSettingsReader(Protocol):
    """The reading half of :class:`VoiceSettings`: part of every unit of work, read-only ones included."""

    def user_voices(self) -> dict[str, str]:
        """Every stored voice: Twitch login (lower case) → voice-mix string."""
        ...

    def user_voice(self, user: str) -> str | None:
        """The voice of ``user`` (a login in lower case), or ``None``."""
        ...

    def voices_of(self, users: Collection[str]) -> dict[str, str]:
        """The voices of those of ``users`` (logins in lower case) that have one: one lookup for a batch of chat."""
        ...

    def pronunciations(self) -> list[Pronunciation]:
        """Every dictionary entry, ordered by word."""
        ...

    def queue_volumes(self) -> dict[QueueKind, float]:
        """The player volume of each queue (1.0 unless set)."""
        ...


class VoiceSettings(VoiceSettingsReader, Protocol):
    """Part of every ``UnitOfWork``: the streamer's live voice settings, committed with the rest of the unit."""

    def set_user_voice(self, user: str, voice: str) -> None:
        """Store ``voice`` for ``user`` (a login in lower case), replacing any voice it had."""
        ...

    def delete_user_voice(self, user: str) -> bool:
        """Forget the voice of ``user``; whether it had one."""
        ...

    def set_pronunciation(self, entry: Pronunciation) -> None:
        """Store ``entry``, replacing the entry of the same word."""
        ...

    def delete_pronunciation(self, word: str) -> bool:
        """Forget the entry of ``word`` (a word key, see ``pronunciation.word_key``); whether there was one."""
        ...

    def set_queue_volume(self, queue: QueueKind, volume: float) -> None:
        """Store the player volume of ``queue`` (0.0–1.0, checked by the caller)."""
        ...
