"""WAV encoding of domain Speech (mono 16-bit PCM)."""

from __future__ import annotations

import io
import wave

from tts_core.speech import SAMPLE_WIDTH_BYTES, Speech


def encode_wav(speech: Speech) -> bytes:
    """``speech`` as a complete mono 16-bit WAV file (44-byte header + samples)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH_BYTES)
        wav.setframerate(speech.sample_rate)
        wav.writeframes(speech.pcm)
    return buffer.getvalue()
