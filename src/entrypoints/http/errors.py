"""Translate domain and validation errors into HTTP answers with the field named."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import ValidationException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from entrypoints.http.schemas import field_of
from tts_core.errors import AudioNotFound, InvalidInput, InvalidTransition, MessageNotFound, StorageError

log = logging.getLogger(__name__)


def _answer(code: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    return Response({"status_code": code, "detail": detail, **extra}, status_code=code)


def invalid_input(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    assert isinstance(error, InvalidInput)
    return _answer(HTTP_400_BAD_REQUEST, str(error), field=error.field)


def validation_failed(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    assert isinstance(error, ValidationException)
    problems = error.extra if isinstance(error.extra, list) else []
    fields = [_field_of(p) for p in problems if isinstance(p, dict)]
    messages = [f"{_field_of(p)}: {p.get('message')}" for p in problems if isinstance(p, dict)]
    detail = "; ".join(messages) or error.detail
    return _answer(HTTP_400_BAD_REQUEST, detail, field=fields[0] if fields else None, errors=problems)


def _field_of(problem: dict[str, Any]) -> str:
    # msgspec reports a missing or nested field inside the message, with the whole body as key
    return field_of(str(problem.get("message", ""))) or str(problem.get("key") or "body")


def not_found(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    return _answer(HTTP_404_NOT_FOUND, str(error))


def conflict(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    assert isinstance(error, InvalidTransition)
    return _answer(HTTP_409_CONFLICT, str(error), current_status=error.current)


def storage_failed(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    log.error("storage failed: %s", error)
    return _answer(HTTP_503_SERVICE_UNAVAILABLE, "the database is unavailable; nothing was changed, try again")


EXCEPTION_HANDLERS = {
    InvalidInput: invalid_input,
    ValidationException: validation_failed,
    MessageNotFound: not_found,
    AudioNotFound: not_found,
    InvalidTransition: conflict,
    StorageError: storage_failed,
}
