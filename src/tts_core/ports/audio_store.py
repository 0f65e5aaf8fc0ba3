"""Audio store port: where synthesized speech is kept as WAV files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from tts_core.model import StoredAudio
from tts_core.speech import Speech


class AudioStore(Protocol):
    """Keeps one WAV file per reference (the core names them: ``tts_core.model.audio_ref_for``).

    Every method raises ``AudioStoreError`` when the store cannot be used at all (a directory that is
    gone or read-only, a full disk), never a library's own exception.
    """

    def save(self, ref: str, speech: Speech) -> StoredAudio:
        """Store ``speech`` as a WAV under ``ref`` and return its reference, size and duration.

        The write is atomic: a reader sees either no file or the whole file, never a part.
        Saving again under the same reference replaces the file.
        """
        ...

    def read(self, ref: str) -> bytes:
        """The whole WAV file under ``ref``. Raises ``AudioNotFound`` when there is none."""
        ...

    def exists(self, ref: str) -> bool:
        """Whether a file is stored under ``ref`` now."""
        ...

    def delete(self, ref: str) -> None:
        """Remove the file under ``ref``. Deleting a missing file is not an error."""
        ...

    def refs(self) -> Iterable[str]:
        """Every reference currently stored (used to sweep files nothing refers to)."""
        ...

    def check(self) -> None:
        """Prove the store can be written now; raises ``AudioStoreError`` saying why not. Cheap enough for
        ``/health``."""
        ...
