"""FilesystemAudioStore: one WAV per message in a directory, written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from adapters.audio_refs import is_audio_ref
from adapters.wav import encode_wav
from tts_core.errors import AudioNotFound, AudioStoreError
from tts_core.model import StoredAudio
from tts_core.ports import AudioStore
from tts_core.speech import Speech

PART_MAX_AGE_SECONDS = 600.0
"""A temporary file older than this is a leftover of a write that was killed; younger ones may be in progress
(another thread, or another machine sharing the directory), so they are left alone."""


class FilesystemAudioStore(AudioStore):
    """Files named ``<message id>.wav`` (``<id>-<attempt>.wav`` for a retry) under ``directory``.

    A file is written to a temporary name in the same directory, flushed to disk, then renamed
    over its final name, so a reader sees either nothing or the whole file. ``OSError`` never leaves
    this class: it becomes ``AudioStoreError`` (the directory is unusable) or ``AudioNotFound``.
    The directory is created again when it went missing.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error

    def path_of(self, ref: str) -> Path:
        """The file of ``ref``. Raises :class:`AudioNotFound` for a reference that is not ours."""
        if not is_audio_ref(ref):
            raise AudioNotFound(ref)
        return self.directory / ref

    def save(self, ref: str, speech: Speech) -> StoredAudio:
        target = self.path_of(ref)
        data = encode_wav(speech)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{ref}-", suffix=".part")
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            Path(temporary).replace(target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise AudioStoreError(self._problem(error)) from error
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return StoredAudio(ref=ref, size_bytes=len(data), duration_seconds=speech.duration_seconds)

    def read(self, ref: str) -> bytes:
        try:
            return self.path_of(ref).read_bytes()
        except FileNotFoundError as error:
            raise AudioNotFound(ref) from error
        except NotADirectoryError as error:
            raise AudioNotFound(ref) from error
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error

    def exists(self, ref: str) -> bool:
        try:
            return self.path_of(ref).is_file()
        except AudioNotFound:
            return False

    def delete(self, ref: str) -> None:
        try:
            self.path_of(ref).unlink(missing_ok=True)
        except NotADirectoryError:
            return  # the directory itself is gone: so is the file
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error

    def refs(self) -> Iterable[str]:
        try:
            # leftovers of interrupted writes are swept along with orphan files
            stale_before = time.time() - PART_MAX_AGE_SECONDS
            for leftover in self.directory.glob(".*.part"):
                with contextlib.suppress(FileNotFoundError):  # another process swept or finished it
                    if leftover.stat().st_mtime < stale_before:
                        leftover.unlink(missing_ok=True)
            return sorted(p.name for p in self.directory.iterdir() if is_audio_ref(p.name))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error

    def check(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.directory, prefix=".probe-") as probe:
                probe.write(b"ok")
                probe.flush()
        except OSError as error:
            raise AudioStoreError(self._problem(error)) from error

    def _problem(self, error: OSError) -> str:
        reason = error.strerror or type(error).__name__
        return f"the audio directory {self.directory} cannot be written: {reason}"
