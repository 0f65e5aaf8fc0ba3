"""FilesystemAudioStore: one WAV per message in a directory, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from adapters.wav import encode_wav
from tts_core.errors import AudioNotFound
from tts_core.model import StoredAudio
from tts_core.ports import AudioStore
from tts_core.speech import Speech

_REF = re.compile(r"\d+\.wav")


class FilesystemAudioStore(AudioStore):
    """Files named ``<message id>.wav`` under ``directory``.

    A file is written to a temporary name in the same directory, flushed to disk, then renamed
    over its final name, so a reader sees either nothing or the whole file.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def path_of(self, ref: str) -> Path:
        """The file of ``ref``. Raises :class:`AudioNotFound` for a reference that is not ours."""
        if not _REF.fullmatch(ref):
            raise AudioNotFound(ref)
        return self.directory / ref

    def save(self, message_id: int, speech: Speech) -> StoredAudio:
        data = encode_wav(speech)
        ref = f"{message_id}.wav"
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{message_id}-", suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            Path(temporary).replace(self.directory / ref)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return StoredAudio(ref=ref, size_bytes=len(data), duration_seconds=speech.duration_seconds)

    def read(self, ref: str) -> bytes:
        try:
            return self.path_of(ref).read_bytes()
        except FileNotFoundError as error:
            raise AudioNotFound(ref) from error

    def delete(self, ref: str) -> None:
        self.path_of(ref).unlink(missing_ok=True)

    def refs(self) -> Iterable[str]:
        # leftovers of interrupted writes are swept along with orphan files
        for leftover in self.directory.glob(".*.part"):
            leftover.unlink(missing_ok=True)
        return sorted(p.name for p in self.directory.iterdir() if _REF.fullmatch(p.name))
