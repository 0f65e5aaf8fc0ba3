"""Helpers for the Kokoro tests: the offline model directory, one loaded engine per session, fake voice packs."""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import torch

    from adapters.kokoro.synthesizer import KokoroSynthesizer

MODEL_DIR_ENV = "TTS_TEST_KOKORO_MODEL_DIR"
MIX = "am_adam50_am_michael30_af_heart20"
"""The three-voice mix the model tests speak with."""
TEST_THREADS = 2


def model_dir() -> Path:
    """The offline model directory from ``TTS_TEST_KOKORO_MODEL_DIR``, or skip the test saying how to get one."""
    value = os.environ.get(MODEL_DIR_ENV)
    if not value:
        pytest.skip(
            f"{MODEL_DIR_ENV} is not set: build the model with ../shared/kokoro_offline/build.sh DIR and set it to DIR"
        )
    path = Path(value).expanduser()
    if not (path / "config.json").is_file():
        pytest.fail(f"{MODEL_DIR_ENV}={value} holds no config.json: rebuild it with ../shared/kokoro_offline/build.sh")
    return path


@functools.cache
def _loaded(directory: Path, voice: str) -> KokoroSynthesizer:
    from adapters.kokoro import KokoroConfig
    from adapters.kokoro.synthesizer import KokoroSynthesizer

    synthesizer = KokoroSynthesizer(
        KokoroConfig(voice=voice, model_dir=directory, device="cpu", cpu_threads=TEST_THREADS, warmup_text="Hi.")
    )
    synthesizer.load()
    return synthesizer


def loaded_synthesizer() -> KokoroSynthesizer:
    """The one Kokoro engine of this test session (loaded on first use), speaking :data:`MIX` on the CPU."""
    synthesizer = _loaded(model_dir(), MIX)
    assert synthesizer.status().ready, synthesizer.status().detail
    return synthesizer


def weighted_sum(packs: Sequence[tuple[torch.Tensor, float]]) -> torch.Tensor:
    """Σ wᵢ·packᵢ written out independently of the adapter, left to right in float32."""
    total = packs[0][0] * packs[0][1]
    for pack, weight in packs[1:]:
        total = total + pack * weight
    return total


def write_fake_model_dir(root: Path, voices: dict[str, torch.Tensor]) -> Path:
    """A model directory with a dummy config and weights and the given (small) voice packs."""
    import torch

    (root / "voices").mkdir(parents=True)
    (root / "config.json").write_text("{}")
    (root / "weights.pth").write_bytes(b"")
    for name, pack in voices.items():
        torch.save(pack, root / "voices" / f"{name}.pt")
    return root


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` with a real uvicorn on 127.0.0.1 and a free port; yields the base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
