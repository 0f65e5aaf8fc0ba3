"""``POST /v1/audio/speech``: OpenAI-compatible speech, so other tools can use this server as their TTS."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Generator
from typing import Any, TypeAlias

import anyio
import anyio.lowlevel
from litestar import Controller, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import SkipValidation
from litestar.response import Stream
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import Receive

from entrypoints.http.deps import SynthesizerDep
from entrypoints.http.speech_gate import SpeechGate
from entrypoints.http.speech_request import (
    FORMATS,
    MAX_INPUT_CHARS,
    SpeechRequest,
    encode,
    read_speech_request,
    sentences,
    stream_start,
)
from entrypoints.http.speech_schema import SpeechOperation
from tts_core.errors import EngineBusy, EngineUnavailable, InvalidInput, SynthesisFailed
from tts_core.ports import SpeechFinisher, Synthesizer
from tts_core.speech import Speech

log = logging.getLogger(__name__)

SpeechGateDep: TypeAlias = NamedDependency[SkipValidation[SpeechGate]]
FinisherDep: TypeAlias = NamedDependency[SkipValidation[SpeechFinisher]]
MAX_BODY_BYTES = 64 * 1024
"""4,096 characters JSON-escaped at worst (12 bytes for a non-BMP one) plus the other fields fit."""
RETRY_AFTER_FULL = 2
"""Seconds a client turned away because every speech slot is taken should wait (speech chunks take seconds)."""
RETRY_AFTER_ENGINE = 5


def openai_error(
    status: int, message: str, *, param: str | None, kind: str, retry_after: int | None = None
) -> Response[dict[str, Any]]:
    """An error in OpenAI's shape (``error.message``/``param``), plus this API's ``detail`` and ``field``."""
    error = {"message": message, "type": kind, "param": param, "code": None}
    body = {"error": error, "status_code": status, "detail": message, "field": param}
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return Response(body, status_code=status, headers=headers)


def _http_error(_: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    # Litestar's own refusals (malformed JSON, a body over MAX_BODY_BYTES) in the same shape as ours
    assert isinstance(error, HTTPException)
    message = str(error.detail)
    if error.status_code == 413:
        message = f"the body is over {MAX_BODY_BYTES} bytes; input must hold 1 to {MAX_INPUT_CHARS} characters"
    return openai_error(error.status_code, message, param=None, kind="invalid_request_error")


def _refusal(error: Exception) -> Response[dict[str, Any]]:
    if isinstance(error, InvalidInput):
        return openai_error(HTTP_400_BAD_REQUEST, str(error), param=error.field, kind="invalid_request_error")
    if isinstance(error, SynthesisFailed):
        return openai_error(HTTP_400_BAD_REQUEST, f"input: {error}", param="input", kind="invalid_request_error")
    if isinstance(error, EngineBusy):
        message = f"the speech engine is busy with the chat queue: {error}; try again"
        return openai_error(
            HTTP_503_SERVICE_UNAVAILABLE, message, param=None, kind="engine_busy", retry_after=RETRY_AFTER_ENGINE
        )
    message = f"the speech engine is not ready: {error}"
    return openai_error(
        HTTP_503_SERVICE_UNAVAILABLE, message, param=None, kind="engine_unavailable", retry_after=RETRY_AFTER_ENGINE
    )


def _chunks(
    synthesizer: Synthesizer, speech: SpeechRequest, finisher: SpeechFinisher, *, wait: float
) -> Generator[Speech, None, None]:
    # a generator of our own: even the synthesizer's first call happens in a gate thread, and close() reaches it
    if not speech.stream:  # the whole file is made exactly as the worker makes chat audio (finished once joined)
        yield from synthesizer.synthesize_chunks(speech.input, voice=speech.voice, speed=speech.speed, wait=wait)
        return
    spoken = False
    levelled = finisher.stream()  # a stream is levelled with its first chunk's gain: the whole is not known yet
    for sentence in sentences(speech.input):
        try:
            for chunk in synthesizer.synthesize_chunks(sentence, voice=speech.voice, speed=speech.speed, wait=wait):
                spoken = True
                yield levelled.next(chunk)
        except SynthesisFailed:
            continue  # a sentence of only emoji or punctuation says nothing; the others still do
    if not spoken:
        raise SynthesisFailed("the text yields no audio (nothing readable: only emoji, punctuation or symbols)")


class _Run:
    """One admitted request's chunk iterator and gate place, released exactly once however the request ends."""

    def __init__(self, gate: SpeechGate, chunks: Generator[Speech, None, None]) -> None:
        self.gate, self.chunks = gate, chunks
        self._open = True

    async def next(self) -> Speech | None:
        """The next chunk, computed in one of the gate's threads; ``None`` after the last."""
        return await self.gate.run(next, self.chunks, None)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.chunks.close()
            self.gate.leave()


async def _streamed(run: _Run, first: Speech, response_format: str) -> AsyncGenerator[bytes, None]:
    try:
        yield stream_start(response_format, first.sample_rate) + first.pcm
        while (piece := await run.next()) is not None:
            yield piece.pcm
    except EngineBusy:
        log.warning("speech stream cut short: the engine stayed busy for %s s", run.gate.wait_seconds)
        raise  # the client sees a broken transfer, not a short file that looks complete
    finally:
        run.close()


async def _whole(run: _Run, first: Speech, receive: Receive) -> Speech | None:
    """All chunks joined, or ``None`` when the client went away (then no further chunk is computed)."""
    pieces = [first.pcm]
    gone = False
    async with anyio.create_task_group() as group:

        async def watch() -> None:
            nonlocal gone
            while (await receive())["type"] != "http.disconnect":
                await anyio.lowlevel.checkpoint()
            gone = True
            group.cancel_scope.cancel()

        group.start_soon(watch)
        while (piece := await run.next()) is not None:
            pieces.append(piece.pcm)
        group.cancel_scope.cancel()
    return None if gone else Speech(pcm=b"".join(pieces), sample_rate=first.sample_rate)


class OpenAISpeechController(Controller):
    """OpenAI's text-to-speech endpoint, served by the configured engine (shared with the worker)."""

    path = "/v1/audio"
    exception_handlers = {HTTPException: _http_error}  # noqa: RUF012 (Litestar reads it from the class)

    @post(
        "/speech",
        status_code=HTTP_200_OK,
        tags=["openai"],
        request_max_body_size=MAX_BODY_BYTES,
        operation_class=SpeechOperation,
    )
    async def speech(
        self,
        request: Request[Any, Any, Any],
        synthesizer: SynthesizerDep,
        speech_gate: SpeechGateDep,
        finisher: FinisherDep,
    ) -> Response[Any]:
        """Speak ``input`` with ``voice`` (a Kokoro id or mix) and answer the audio as ``response_format``;
        with ``"stream": true`` (wav, pcm) the audio is sent chunk by chunk as it is made."""
        try:
            speech = read_speech_request(await request.body())
        except InvalidInput as error:
            return _refusal(error)
        if not speech_gate.try_enter():
            message = f"{speech_gate.concurrency} speech request(s) already running here; try again shortly"
            return openai_error(
                HTTP_429_TOO_MANY_REQUESTS,
                message,
                param=None,
                kind="rate_limit_exceeded",
                retry_after=RETRY_AFTER_FULL,
            )
        run = _Run(speech_gate, _chunks(synthesizer, speech, finisher, wait=speech_gate.wait_seconds))
        media_type = FORMATS[speech.response_format][0]
        try:
            first = await run.next()  # the engine's errors come with the first chunk, before any byte is sent
            if first is None:
                raise SynthesisFailed("the engine gave no audio")
            if speech.stream:
                body = _streamed(run, first, speech.response_format)

                async def finish() -> None:  # also when the client left while the stream was between chunks
                    await body.aclose()
                    run.close()

                return Stream(body, media_type=media_type, background=BackgroundTask(finish))
            whole = await _whole(run, first, request.receive)
        except (InvalidInput, SynthesisFailed, EngineUnavailable) as error:
            run.close()
            return _refusal(error)
        except BaseException:
            run.close()
            raise
        run.close()
        if whole is None:
            log.info("speech request dropped: the client went away")
            return Response(b"", status_code=HTTP_200_OK)  # nobody reads it
        audio = await speech_gate.run(lambda: encode(finisher.finish(whole), speech.response_format))
        return Response(audio, media_type=media_type)
