"""The AudioStore contract, run against the in-memory fake, the real filesystem and S3 (moto's server)."""

from __future__ import annotations

import io
import os
import time
import wave
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.memory import InMemoryAudioStore
from tts_core import AudioNotFound, AudioStore, Speech

if TYPE_CHECKING:
    from tests.integration.s3_emulator import S3Emulator

SPEECH = Speech(pcm=b"\x01\x02" * 24_000, sample_rate=24_000)


@pytest.fixture(params=["memory", "filesystem", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> AudioStore:
    if request.param == "s3":
        emulator: S3Emulator = request.getfixturevalue("s3_emulator")
        return emulator.store(emulator.new_bucket())
    return InMemoryAudioStore() if request.param == "memory" else FilesystemAudioStore(tmp_path / "audio")


def test_save_read_is_a_24khz_mono_16bit_wav(store: AudioStore) -> None:
    """The stored bytes are a WAV of the speech; size and duration are reported."""
    stored = store.save("7.wav", SPEECH)
    data = store.read(stored.ref)
    assert stored.size_bytes == len(data) == len(SPEECH.pcm) + 44
    assert stored.duration_seconds == pytest.approx(1.0)
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()) == (1, 2, 24_000, 24_000)


def test_delete_is_idempotent_and_read_after_delete_fails(store: AudioStore) -> None:
    """A deleted file is gone; deleting it again is fine."""
    stored = store.save("1.wav", SPEECH)
    store.delete(stored.ref)
    store.delete(stored.ref)
    with pytest.raises(AudioNotFound):
        store.read(stored.ref)


def test_refs_lists_what_is_stored(store: AudioStore) -> None:
    """refs() lists every stored file."""
    refs = {store.save(f"{i}.wav", SPEECH).ref for i in (1, 2, 3)}
    assert set(store.refs()) == refs


def test_save_again_replaces(store: AudioStore) -> None:
    """Saving for the same id replaces the file."""
    store.save("5.wav", SPEECH)
    shorter = store.save("5.wav", Speech(pcm=b"\x00\x01" * 10, sample_rate=24_000))
    assert len(store.read(shorter.ref)) == 64


def test_filesystem_rejects_foreign_refs_and_sweeps_partials(tmp_path: Path) -> None:
    """Paths outside the store are never read; leftovers of interrupted writes are removed, while a write in
    progress (by another thread or machine sharing the directory) keeps its temporary file."""
    store = FilesystemAudioStore(tmp_path)
    (tmp_path / "secret.txt").write_text("no")
    leftover, in_progress = tmp_path / ".4-abc.part", tmp_path / ".5-def.part"
    leftover.write_bytes(b"half")
    in_progress.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    for ref in ("../secret.txt", "secret.txt", "/etc/passwd"):
        with pytest.raises(AudioNotFound):
            store.read(ref)
    assert list(store.refs()) == []
    assert not leftover.exists()
    assert in_progress.exists()


def test_filesystem_write_is_atomic(tmp_path: Path) -> None:
    """No temporary file is left after a save and the final file appears whole."""
    store = FilesystemAudioStore(tmp_path)
    stored = store.save("3.wav", SPEECH)
    assert sorted(p.name for p in tmp_path.iterdir()) == [stored.ref]
