"""The voice settings of the SQL unit of work (per-user voices, pronunciations, queue volumes)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from adapters.sql.rows import get_or_insert
from adapters.sql.voice_tables import PronunciationRow, QueueVolumeRow, UserVoiceRow
from tts_core.model import QueueKind
from tts_core.ports import VoiceSettings
from tts_core.pronunciation import Pronunciation


class SqlVoiceSettings(VoiceSettings):
    """Mixed into ``SqlUnitOfWork``: reads and writes through ``self.session`` (its transaction)."""

    session: Session

    def user_voices(self) -> dict[str, str]:
        rows = self.session.exec(select(UserVoiceRow).order_by(col(UserVoiceRow.user))).all()
        return {row.user: row.voice for row in rows}

    def user_voice(self, user: str) -> str | None:
        row = self.session.get(UserVoiceRow, user)
        return row.voice if row is not None else None

    def set_user_voice(self, user: str, voice: str) -> None:
        row = get_or_insert(self.session, UserVoiceRow, user, lambda: UserVoiceRow(user=user, voice=voice))
        row.voice = voice
        self.session.add(row)
        self.session.flush()

    def delete_user_voice(self, user: str) -> bool:
        row = self.session.get(UserVoiceRow, user)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def pronunciations(self) -> list[Pronunciation]:
        rows = self.session.exec(select(PronunciationRow).order_by(col(PronunciationRow.word))).all()
        return [Pronunciation(word=row.word, say=row.say, phonemes=row.phonemes) for row in rows]

    def set_pronunciation(self, entry: Pronunciation) -> None:
        row = get_or_insert(self.session, PronunciationRow, entry.word, lambda: PronunciationRow(word=entry.word))
        row.say, row.phonemes = entry.say, entry.phonemes
        self.session.add(row)
        self.session.flush()

    def delete_pronunciation(self, word: str) -> bool:
        row = self.session.get(PronunciationRow, word)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def queue_volumes(self) -> dict[QueueKind, float]:
        stored = {row.queue: row.volume for row in self.session.exec(select(QueueVolumeRow)).all()}
        return {queue: stored.get(queue.value, 1.0) for queue in QueueKind}

    def set_queue_volume(self, queue: QueueKind, volume: float) -> None:
        row = get_or_insert(
            self.session, QueueVolumeRow, queue.value, lambda: QueueVolumeRow(queue=queue.value, volume=volume)
        )
        row.volume = volume
        self.session.add(row)
        self.session.flush()
