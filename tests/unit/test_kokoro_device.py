"""Device choice: auto prefers CUDA, an explicit cuda without CUDA is an error that says how to fix it."""

from __future__ import annotations

import pytest

from adapters.kokoro.config import Device
from adapters.kokoro.device import DeviceUnavailable, choose_device


@pytest.mark.parametrize(
    ("requested", "cuda_available", "expected"),
    [
        ("auto", True, "cuda"),
        ("auto", False, "cpu"),
        ("cuda", True, "cuda"),
        ("cpu", True, "cpu"),
        ("cpu", False, "cpu"),
    ],
)
def test_device_for_request(requested: Device, cuda_available: bool, expected: str) -> None:
    """Each request maps to the device in the table."""
    assert choose_device(requested, cuda_available=cuda_available) == expected


def test_cuda_requested_without_cuda_says_how_to_fix() -> None:
    """TTS_DEVICE=cuda on a machine without CUDA names the setting and the ways out."""
    with pytest.raises(DeviceUnavailable, match=r"TTS_DEVICE=cuda.*TTS_DEVICE=auto or cpu"):
        choose_device("cuda", cuda_available=False)
