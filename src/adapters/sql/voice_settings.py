"""The voice settings of the SQL units of work (per-user voices, pronunciations, queue volumes), in Core SQL."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, bindparam, delete, select

from adapters.sql.core import PRONUNCIATION, QUEUE_VOLUME, USER_VOICE
from adapters.sql.rows import upsert
from tts_core.model import QueueKind
from tts_core.ports import VoiceSettings, VoiceSettingsReader
from tts_core.pronunciation import Pronunciation

_USER_VOICE = select(USER_VOICE.c.voice).where(USER_VOICE.c.user == bindparam("user"))
_VOICES_OF = select(USER_VOICE.c.user, USER_VOICE.c.voice).where(
    USER_VOICE.c.user.in_(bindparam("users", expanding=True))
)
_USER_VOICES = select(USER_VOICE.c.user, USER_VOICE.c.voice).order_by(USER_VOICE.c.user)
_PRONUNCIATIONS = select(PRONUNCIATION).order_by(PRONUNCIATION.c.word)
_VOLUMES = select(QUEUE_VOLUME)


class SqlVoiceSettingsReader(VoiceSettingsReader):
    """Mixed into the SQL units: reads through ``self.connection`` (its transaction)."""

    connection: Connection

    def user_voices(self) -> dict[str, str]:
        rows = self.connection.execute(_USER_VOICES)
        return {row.user: row.voice for row in rows}

    def user_voice(self, user: str) -> str | None:
        value = self.connection.execute(_USER_VOICE, {"user": user}).scalar()
        return str(value) if value is not None else None

    def voices_of(self, users: Collection[str]) -> dict[str, str]:
        if not users:
            return {}
        rows = self.connection.execute(_VOICES_OF, {"users": sorted(set(users))})
        return {row.user: row.voice for row in rows}

    def pronunciations(self) -> list[Pronunciation]:
        rows = self.connection.execute(_PRONUNCIATIONS)
        return [Pronunciation(word=row.word, say=row.say, phonemes=row.phonemes) for row in rows]

    def queue_volumes(self) -> dict[QueueKind, float]:
        stored = {row.queue: row.volume for row in self.connection.execute(_VOLUMES)}
        return {queue: stored.get(queue.value, 1.0) for queue in QueueKind}


class SqlVoiceSettings(SqlVoiceSettingsReader, VoiceSettings):
    """Mixed into ``SqlUnitOfWork``: also writes through ``self.connection``."""

    def set_user_voice(self, user: str, voice: str) -> None:
        upsert(self.connection, USER_VOICE, {"user": user}, {"voice": voice})

    def delete_user_voice(self, user: str) -> bool:
        result = self.connection.execute(delete(USER_VOICE).where(USER_VOICE.c.user == user))
        return bool(result.rowcount)

    def set_pronunciation(self, entry: Pronunciation) -> None:
        upsert(self.connection, PRONUNCIATION, {"word": entry.word}, {"say": entry.say, "phonemes": entry.phonemes})

    def delete_pronunciation(self, word: str) -> bool:
        result = self.connection.execute(delete(PRONUNCIATION).where(PRONUNCIATION.c.word == word))
        return bool(result.rowcount)

    def set_queue_volume(self, queue: QueueKind, volume: float) -> None:
        upsert(self.connection, QUEUE_VOLUME, {"queue": queue.value}, {"volume": volume})
