"""The OpenAI speech request: its checks, and the audio formats it can be answered in (whole or streamed)."""

from __future__ import annotations

import functools
import io
import re
import struct
from typing import Any

import attrs
import msgspec
import numpy as np

from adapters.wav import encode_wav
from tts_core.errors import InvalidInput
from tts_core.speech import SAMPLE_WIDTH_BYTES, Speech
from tts_core.voice_mix import VoiceMix, parse_voice_mix

MODELS = ("kokoro", "tts-1", "tts-1-hd")
MAX_INPUT_CHARS = 4096
MIN_SPEED, MAX_SPEED = 0.25, 4.0
# response_format → (media type, soundfile format and subtype; None: written without soundfile)
FORMATS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "wav": ("audio/wav", None),
    "pcm": ("audio/pcm", None),
    "mp3": ("audio/mpeg", ("MP3", "MPEG_LAYER_III")),
    "opus": ("audio/ogg", ("OGG", "OPUS")),
    "flac": ("audio/flac", ("FLAC", "PCM_16")),
}
STREAMABLE = ("wav", "pcm")
"""Formats that can be sent while they are made: PCM needs no header, WAV gets one of unknown length."""
UNKNOWN_LENGTH = 0xFFFF_FFFF
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@attrs.frozen(kw_only=True)
class SpeechRequest:
    """A checked speech request."""

    model: str
    input: str
    voice: VoiceMix
    """A Kokoro voice id or a mix such as ``am_adam60_af_heart40`` (friendly names go through TTS_VOICE_MAP)."""
    response_format: str
    speed: float | None
    stream: bool = False
    """Send the audio chunk by chunk as it is made (``wav`` and ``pcm`` only)."""


@functools.cache
def supported_formats() -> tuple[str, ...]:
    """The response formats this installation can write (mp3/opus/flac need libsndfile support); asked once."""
    import soundfile

    available = soundfile.available_formats()
    return tuple(name for name, (_, codec) in FORMATS.items() if codec is None or codec[0] in available)


def read_speech_request(raw: bytes) -> SpeechRequest:
    """Read and check a JSON request body; malformed JSON, out-of-range numbers and absurd nesting are an
    :class:`InvalidInput` on ``body`` (msgspec raises ``RecursionError`` for deep nesting: never a 500)."""
    try:
        body = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as error:
        raise InvalidInput("body", f"is not usable JSON ({error})") from None
    return parse_speech_request(body)


def parse_speech_request(body: object) -> SpeechRequest:
    """Check an OpenAI speech request body. Raises :class:`InvalidInput` naming the offending field."""
    if not isinstance(body, dict):
        raise InvalidInput("body", "must be a JSON object with model, input and voice")
    model = _text(body, "model")
    if model not in MODELS:
        raise InvalidInput("model", f"{model!r} is not offered; use one of {', '.join(MODELS)}")
    text = _text(body, "input")
    if len(text) > MAX_INPUT_CHARS or not text.strip():
        raise InvalidInput("input", f"must hold 1 to {MAX_INPUT_CHARS} characters, not {len(text)}")
    voice = body.get("voice")
    voice = voice.get("id") if isinstance(voice, dict) else voice
    if not isinstance(voice, str):
        raise InvalidInput("voice", "must be a Kokoro voice id (af_heart) or a mix (am_adam60_af_heart40)")
    response_format = body.get("response_format", "mp3")
    supported_here = supported_formats()
    if response_format not in supported_here:
        supported = ", ".join(supported_here)
        raise InvalidInput("response_format", f"{response_format!r} is not supported here; use one of {supported}")
    if body.get("stream_format", "audio") != "audio":
        raise InvalidInput("stream_format", "only 'audio' is supported")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise InvalidInput("stream", "must be true or false")
    if stream and response_format not in STREAMABLE:
        raise InvalidInput("stream", f"streaming is offered for {' and '.join(STREAMABLE)}, not {response_format}")
    speed = body.get("speed")
    if speed is not None and (
        isinstance(speed, bool) or not isinstance(speed, int | float) or not MIN_SPEED <= speed <= MAX_SPEED
    ):
        raise InvalidInput("speed", f"must be a number from {MIN_SPEED} to {MAX_SPEED}")
    return SpeechRequest(
        model=model,
        input=text,
        voice=parse_voice_mix(voice),
        response_format=response_format,
        speed=float(speed) if speed is not None else None,
        stream=stream,
    )


def _text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise InvalidInput(field, "is required and must be a string")
    return value


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (``.``, ``!``, ``?``, ``…`` then a space) and at line breaks.

    A stream is made sentence by sentence: Kokoro's own chunks hold up to 510 phonemes, so a few sentences would
    otherwise arrive all at once.
    """
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def encode(speech: Speech, response_format: str) -> bytes:
    """``speech`` as a file of ``response_format`` (``pcm``: the raw 16-bit LE mono samples)."""
    _, codec = FORMATS[response_format]
    if response_format == "pcm":
        return speech.pcm
    if codec is None:
        return encode_wav(speech)
    import soundfile

    buffer = io.BytesIO()
    samples = np.frombuffer(speech.pcm, dtype="<i2")
    soundfile.write(buffer, samples, speech.sample_rate, format=codec[0], subtype=codec[1])
    return buffer.getvalue()


def stream_start(response_format: str, sample_rate: int) -> bytes:
    """What a stream of ``response_format`` sends before the samples: for ``wav`` a 44-byte header whose RIFF and
    data sizes say "unknown" (0xFFFFFFFF, read to the end of the stream), for ``pcm`` nothing."""
    if response_format == "pcm":
        return b""
    bits = SAMPLE_WIDTH_BYTES * 8
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * SAMPLE_WIDTH_BYTES, SAMPLE_WIDTH_BYTES, bits)
    unknown = struct.pack("<I", UNKNOWN_LENGTH)
    return b"".join((b"RIFF", unknown, b"WAVE", b"fmt ", struct.pack("<I", len(fmt)), fmt, b"data", unknown))
