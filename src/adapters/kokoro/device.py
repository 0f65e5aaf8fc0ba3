"""Which torch device Kokoro runs on: ``auto`` picks CUDA when it is there."""

from __future__ import annotations

from adapters.kokoro.config import Device


class DeviceUnavailable(Exception):
    """The requested device cannot be used; the message says how to fix it."""


def choose_device(requested: Device, *, cuda_available: bool) -> str:
    """``cuda`` or ``cpu`` for ``requested``.

    ``auto`` falls back to the CPU quietly, but an explicit ``cuda`` without CUDA raises
    :class:`DeviceUnavailable`: a streamer who asked for the GPU should hear why it is not used
    rather than get a busy CPU without warning.
    """
    if requested == "cpu":
        return "cpu"
    if cuda_available:
        return "cuda"
    if requested == "auto":
        return "cpu"
    raise DeviceUnavailable(
        "TTS_DEVICE=cuda but torch sees no CUDA device (torch.cuda.is_available() is False): "
        "install a CUDA build of torch and an NVIDIA driver, or set TTS_DEVICE=auto or cpu"
    )
