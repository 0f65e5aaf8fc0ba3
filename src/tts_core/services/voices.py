"""Voice settings the streamer changes live: per-user voices, the pronunciation dictionary, player volumes."""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from tts_core.chat.rules import login
from tts_core.errors import InvalidInput
from tts_core.events import PronunciationChanged, QueueVolumeChanged, UserVoiceChanged
from tts_core.model import QueueKind
from tts_core.ports import Storage, VoiceCatalog
from tts_core.pronunciation import Pronunciation, check_word
from tts_core.voice_mix import parse_voice_mix

MAX_LOGIN_CHARS = 25


def check_login(user: str) -> str:
    """A Twitch login in lower case (a leading ``@`` dropped), or :class:`InvalidInput` for ``user``."""
    name = login(user)
    if not name or len(name) > MAX_LOGIN_CHARS or not name.replace("_", "a").isalnum() or not name.isascii():
        raise InvalidInput("user", f"must be a Twitch login (1 to 25 letters, digits or _), not {user!r}")
    return name


def check_volume(volume: float) -> float:
    """``volume`` when it is between 0.0 and 1.0, else :class:`InvalidInput` for ``volume``."""
    if not math.isfinite(volume) or not 0.0 <= volume <= 1.0:
        raise InvalidInput("volume", f"must be between 0.0 and 1.0, not {volume}")
    return float(volume)


@attrs.define
class VoiceSettingsService:
    """Reads and changes the live voice settings; each change is announced with an event."""

    storage: Storage
    catalog: VoiceCatalog

    def check_voice(self, voice: str) -> str:
        """``voice`` trimmed, when it reads as a mix of voices the engine has; else ``InvalidVoiceMix``."""
        mix = parse_voice_mix(voice)
        self.catalog.check(mix)
        return voice.strip()

    def user_voices(self) -> dict[str, str]:
        """Every stored voice, login → mix."""
        with self.storage.reading() as uow:
            return uow.user_voices()

    def set_user_voice(self, user: str, voice: str) -> tuple[str, str]:
        """Give ``user`` the mix ``voice`` (from their next queued message); returns (login, mix)."""
        name, mix = check_login(user), self.check_voice(voice)
        with self.storage.unit_of_work() as uow:
            uow.set_user_voice(name, mix)
            uow.emit(UserVoiceChanged(user=name, voice=mix))
        return name, mix

    def delete_user_voice(self, user: str) -> bool:
        """Send ``user`` back to the default voice; whether they had a voice of their own."""
        name = check_login(user)
        with self.storage.unit_of_work() as uow:
            found = uow.delete_user_voice(name)
            if found:
                uow.emit(UserVoiceChanged(user=name, voice=None))
        return found

    def seed_user_voices(self, voices: Mapping[str, str]) -> list[str]:
        """Store the voices of ``TTS_USER_VOICES`` for users who have none yet (a voice set live is kept);
        returns the logins added. The mixes were checked when the settings were read."""
        added = []
        with self.storage.unit_of_work() as uow:
            stored = uow.user_voices()
            for user, voice in voices.items():
                name = login(user)
                if name and name not in stored:
                    uow.set_user_voice(name, voice.strip())
                    uow.emit(UserVoiceChanged(user=name, voice=voice.strip()))
                    added.append(name)
        return added

    def pronunciations(self) -> list[Pronunciation]:
        """The dictionary, ordered by word."""
        with self.storage.reading() as uow:
            return uow.pronunciations()

    def set_pronunciation(self, word: str, *, say: str | None, phonemes: str | None) -> Pronunciation:
        """Say ``word`` as ``say`` or with ``phonemes`` in messages queued from now on."""
        entry = Pronunciation.checked(word, say=say, phonemes=phonemes)
        with self.storage.unit_of_work() as uow:
            uow.set_pronunciation(entry)
            uow.emit(PronunciationChanged(word=entry.word, say=entry.say, phonemes=entry.phonemes))
        return entry

    def delete_pronunciation(self, word: str) -> bool:
        """Forget how ``word`` is said; whether it had an entry."""
        key = check_word(word)
        with self.storage.unit_of_work() as uow:
            found = uow.delete_pronunciation(key)
            if found:
                uow.emit(PronunciationChanged(word=key, say=None, phonemes=None))
        return found

    def queue_volumes(self) -> dict[QueueKind, float]:
        """The OBS player's volume per queue."""
        with self.storage.reading() as uow:
            return uow.queue_volumes()

    def set_queue_volume(self, queue: QueueKind, volume: float) -> float:
        """Set the OBS player's volume for ``queue`` (0.0–1.0, persisted)."""
        level = check_volume(volume)
        with self.storage.unit_of_work() as uow:
            uow.set_queue_volume(queue, level)
            uow.emit(QueueVolumeChanged(queue=queue, volume=level))
        return level
