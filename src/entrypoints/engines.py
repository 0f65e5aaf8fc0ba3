"""Engine construction from Settings; imported lazily so the tone engine never loads torch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.kokoro.config import KokoroConfig
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from adapters.kokoro.synthesizer import KokoroSynthesizer


def kokoro_config(settings: Settings, *, voice: str | None = None, speed: float | None = None) -> KokoroConfig:
    """The adapter's configuration from ``TTS_*`` settings; ``voice`` and ``speed`` override them (CLI preview)."""
    return KokoroConfig(
        voice=voice if voice is not None else settings.voice,
        voice_map=settings.voice_map,
        lang_code=settings.lang_code,
        speed=speed if speed is not None else settings.speed,
        device=settings.device,
        model_dir=settings.kokoro_model_dir.expanduser() if settings.kokoro_model_dir is not None else None,
        repo_id=settings.kokoro_repo_id,
        cpu_threads=settings.cpu_threads,
    )


def build_kokoro_synthesizer(settings: Settings) -> KokoroSynthesizer:
    """A Kokoro synthesizer for ``settings``, not loaded yet: the worker calls ``load()`` in its thread."""
    from adapters.kokoro.synthesizer import KokoroSynthesizer

    return KokoroSynthesizer(kokoro_config(settings))
