"""Translate domain and validation errors into HTTP answers with the field named."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi import ResponseSpec
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from entrypoints.http.limits import MAX_BODY_BYTES
from entrypoints.http.responses import ErrorBody
from entrypoints.http.schemas import field_of
from tts_core.errors import (
    AudioNotFound,
    AudioStoreError,
    InvalidInput,
    InvalidTransition,
    MessageNotFound,
    StorageError,
)

log = logging.getLogger(__name__)


_MEANINGS = {
    HTTP_400_BAD_REQUEST: "Invalid input; `field` names the part of the request at fault",
    HTTP_404_NOT_FOUND: "No such message or audio file",
    HTTP_409_CONFLICT: "The message's status does not allow this; `current_status` says what it is",
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: f"The request body is over {MAX_BODY_BYTES} bytes",
    HTTP_503_SERVICE_UNAVAILABLE: "The database (or the audio store) is unavailable; nothing was changed, try again",
}


def error_responses(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error answers a route can give, all with the :class:`ErrorBody` shape."""
    return {code: ResponseSpec(ErrorBody, description=_MEANINGS[code], generate_examples=False) for code in codes}


def _answer(code: int, detail: str, **extra: Any) -> Response[ErrorBody]:
    return Response(ErrorBody(status_code=code, detail=detail, **extra), status_code=code)


def invalid_input(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    assert isinstance(error, InvalidInput)
    return _answer(HTTP_400_BAD_REQUEST, str(error), field=error.field)


def validation_failed(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    assert isinstance(error, ValidationException)
    problems = error.extra if isinstance(error.extra, list) else []
    fields = [_field_of(p) for p in problems if isinstance(p, dict)]
    messages = [f"{_field_of(p)}: {p.get('message')}" for p in problems if isinstance(p, dict)]
    detail = "; ".join(messages) or error.detail
    return _answer(HTTP_400_BAD_REQUEST, detail, field=fields[0] if fields else None, errors=problems)


def _field_of(problem: dict[str, Any]) -> str:
    # msgspec reports a missing or nested field inside the message, with the whole body as key
    return field_of(str(problem.get("message", ""))) or str(problem.get("key") or "body")


def not_found(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    return _answer(HTTP_404_NOT_FOUND, str(error))


def conflict(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    assert isinstance(error, InvalidTransition)
    return _answer(HTTP_409_CONFLICT, str(error), current_status=error.current)


def storage_failed(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    log.error("storage failed: %s", error)
    return _answer(HTTP_503_SERVICE_UNAVAILABLE, "the database is unavailable; nothing was changed, try again")


def audio_store_failed(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    # the reason (a bucket or directory name) is in /health and the log, not in every answer
    log.error("audio store failed: %s", error)
    return _answer(HTTP_503_SERVICE_UNAVAILABLE, "the audio store is unavailable now; try again")


def too_large(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    detail = f"the request body is over the {MAX_BODY_BYTES}-byte limit"
    return _answer(HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail, limit_bytes=MAX_BODY_BYTES)


EXCEPTION_HANDLERS = {
    RequestEntityTooLarge: too_large,
    InvalidInput: invalid_input,
    ValidationException: validation_failed,
    MessageNotFound: not_found,
    AudioNotFound: not_found,
    InvalidTransition: conflict,
    StorageError: storage_failed,
    AudioStoreError: audio_store_failed,
}
