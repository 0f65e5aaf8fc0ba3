"""The OpenAPI description of ``POST /v1/audio/speech``: its handler reads the body itself, so it is written here."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from entrypoints.http.speech_request import FORMATS, MAX_INPUT_CHARS, MODELS, supported_formats

_TEXT = Schema(type=OpenAPIType.STRING)
_ERROR = Schema(
    type=OpenAPIType.OBJECT,
    required=["error", "status_code", "detail"],
    properties={
        "error": Schema(
            type=OpenAPIType.OBJECT,
            required=["message", "type"],
            properties={
                "message": _TEXT,
                "type": _TEXT,
                "param": Schema(one_of=[_TEXT, Schema(type=OpenAPIType.NULL)]),
                "code": Schema(type=OpenAPIType.NULL),
            },
        ),
        "status_code": Schema(type=OpenAPIType.INTEGER),
        "detail": _TEXT,
        "field": Schema(one_of=[_TEXT, Schema(type=OpenAPIType.NULL)]),
    },
)
_ERRORS = {
    "400": "a field is wrong (`error.param` names it), or the text has nothing to say",
    "413": "the body is over 64 KiB",
    "429": "as many speech requests as `TTS_SPEECH_CONCURRENCY` already run; see `Retry-After`",
    "503": "the engine is not ready, or stayed busy longer than `TTS_SPEECH_WAIT_SECONDS`; see `Retry-After`",
}


def _request_schema() -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["model", "input", "voice"],
        properties={
            "model": Schema(type=OpenAPIType.STRING, enum=list(MODELS)),
            "input": Schema(type=OpenAPIType.STRING, min_length=1, max_length=MAX_INPUT_CHARS),
            "voice": Schema(type=OpenAPIType.STRING, description="a Kokoro voice id (af_heart) or a mix"),
            "response_format": Schema(type=OpenAPIType.STRING, enum=list(supported_formats())),
            "speed": Schema(type=OpenAPIType.NUMBER, minimum=0.25, maximum=4.0),
            "stream": Schema(type=OpenAPIType.BOOLEAN, description="send audio as it is made (wav, pcm)"),
        },
    )


@dataclass
class SpeechOperation(Operation):
    """The operation with its JSON request body, its audio answers and its OpenAI-shaped errors."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True, content={"application/json": OpenAPIMediaType(schema=_request_schema())}
        )
        audio = {FORMATS[name][0]: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
                 for name in supported_formats()}  # fmt: skip
        errors = {
            code: OpenAPIResponse(description=text, content={"application/json": OpenAPIMediaType(schema=_ERROR)})
            for code, text in _ERRORS.items()
        }
        self.responses = {"200": OpenAPIResponse(description="the audio", content=audio), **errors}
