"""Audio store port: where synthesized speech is kept as WAV files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from tts_core.model import StoredAudio
from tts_core.speech import Speech


class AudioStore(Protocol):
    """Keeps one WAV file per message."""

    def save(self, message_id: int, speech: Speech) -> StoredAudio:
        """Store ``speech`` as a WAV for ``message_id`` and return its reference, size and duration.

        The write is atomic: a reader sees either no file or the whole file, never a part.
        Saving again for the same id replaces the file.
        """
        ...

    def read(self, ref: str) -> bytes:
        """The whole WAV file under ``ref``. Raises ``AudioNotFound`` when there is none."""
        ...

    def delete(self, ref: str) -> None:
        """Remove the file under ``ref``. Deleting a missing file is not an error."""
        ...

    def refs(self) -> Iterable[str]:
        """Every reference currently stored (used to sweep files a crash left behind)."""
        ...
