"""``POST /v1/audio/speech``: OpenAI-compatible speech, so other tools can use this server as their TTS."""

from __future__ import annotations

import functools
import io
from typing import Any

import attrs
import numpy as np
from litestar import Controller, Response, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST, HTTP_503_SERVICE_UNAVAILABLE

from adapters.wav import encode_wav
from entrypoints.http.deps import SynthesizerDep
from tts_core.errors import EngineUnavailable, InvalidInput, SynthesisFailed
from tts_core.speech import Speech
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


@attrs.frozen(kw_only=True)
class SpeechRequest:
    """A checked speech request."""

    model: str
    input: str
    voice: VoiceMix
    """A Kokoro voice id or a mix such as ``am_adam60_af_heart40`` (friendly names go through TTS_VOICE_MAP)."""
    response_format: str
    speed: float | None


@functools.cache
def supported_formats() -> tuple[str, ...]:
    """The response formats this installation can write (mp3/opus/flac need libsndfile support); asked once."""
    import soundfile

    available = soundfile.available_formats()
    return tuple(name for name, (_, codec) in FORMATS.items() if codec is None or codec[0] in available)


def parse_speech_request(body: object) -> SpeechRequest:
    """Check an OpenAI speech request body. Raises :class:`InvalidInput` naming the offending field."""
    if not isinstance(body, dict):
        raise InvalidInput("body", "must be a JSON object with model, input and voice")
    model = _text(body, "model")
    if model not in MODELS:
        raise InvalidInput("model", f"{model!r} is not offered; use one of {', '.join(MODELS)}")
    text = _text(body, "input")
    if not text.strip() or len(text) > MAX_INPUT_CHARS:
        raise InvalidInput("input", f"must hold 1 to {MAX_INPUT_CHARS} characters")
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
    )


def _text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise InvalidInput(field, "is required and must be a string")
    return value


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


def openai_error(status: int, message: str, *, param: str | None, kind: str) -> Response[dict[str, Any]]:
    """An error in OpenAI's shape (``error.message``/``param``), plus this API's ``detail`` and ``field``."""
    error = {"message": message, "type": kind, "param": param, "code": None}
    body = {"error": error, "status_code": status, "detail": message, "field": param}
    return Response(body, status_code=status)


class OpenAISpeechController(Controller):
    """OpenAI's text-to-speech endpoint, served by the configured engine (shared with the worker)."""

    path = "/v1/audio"

    @post("/speech", sync_to_thread=True, status_code=HTTP_200_OK, tags=["openai"])
    def speech(self, data: JSONBody[Any], synthesizer: SynthesizerDep) -> Response[Any]:
        """Speak ``input`` with ``voice`` (a Kokoro id or mix) and answer the audio as ``response_format``."""
        try:
            request = parse_speech_request(data)
            # the synthesizer serializes engine use itself, so the worker and this handler can share it
            speech = synthesizer.synthesize(request.input, voice=request.voice, speed=request.speed)
        except InvalidInput as error:
            return openai_error(HTTP_400_BAD_REQUEST, str(error), param=error.field, kind="invalid_request_error")
        except SynthesisFailed as error:
            return openai_error(HTTP_400_BAD_REQUEST, f"input: {error}", param="input", kind="invalid_request_error")
        except EngineUnavailable as error:
            message = f"the speech engine is not ready: {error}"
            return openai_error(HTTP_503_SERVICE_UNAVAILABLE, message, param=None, kind="engine_unavailable")
        media_type = FORMATS[request.response_format][0]
        return Response(encode(speech, request.response_format), media_type=media_type)
