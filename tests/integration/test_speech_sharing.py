"""/v1/audio/speech shares the engine without starving the queue or the API: its own threads and limit, a bounded
wait for the engine, the worker's turn between chunks, and no more chunks once the client is gone (real uvicorn)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
import uvicorn
from litestar import Litestar
from litestar.di import Provide

from adapters.loudness import UnchangedSpeech
from adapters.memory import FakeSynthesizer
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.speech_gate import SpeechGate
from tests.integration.live import WAIT, LiveServer, live_server, wait_until

SPEECH = {"model": "tts-1", "voice": "af_heart", "response_format": "wav"}


@attrs.define
class Hold:
    """An ``on_chunk`` for the fake: the first chunk equal to ``chunk`` waits (holding the engine) until released."""

    chunk: str
    entered: threading.Event = attrs.Factory(threading.Event)
    released: threading.Event = attrs.Factory(threading.Event)

    def __call__(self, text: str) -> None:
        if text.strip() == self.chunk and not self.entered.is_set():
            self.entered.set()
            assert self.released.wait(WAIT * 2), f"{self.chunk!r} was never released"


def _holding(*holds: Hold) -> FakeSynthesizer:
    def on_chunk(text: str) -> None:
        for hold in holds:
            hold(text)

    return FakeSynthesizer(on_chunk=on_chunk)


def _speak_in_background(server: LiveServer, text: str, **extra: Any) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []

    def post() -> None:
        with httpx.Client(base_url=server.base_url, timeout=WAIT * 3, trust_env=False) as http:
            answers.append(http.post("/v1/audio/speech", json={**SPEECH, "input": text, **extra}))

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return thread, answers


def test_beyond_the_concurrency_limit_the_answer_is_429(data_dir: Path) -> None:
    """With TTS_SPEECH_CONCURRENCY=1 and one request speaking, a second gets 429 with Retry-After at once."""
    hold = Hold("Alpha one.")
    with live_server(data_dir, synthesizer=_holding(hold), speech_concurrency=1) as server:
        first, answers = _speak_in_background(server, "Alpha one. Alpha two.")
        assert hold.entered.wait(WAIT)
        refused = server.http.post("/v1/audio/speech", json={**SPEECH, "input": "Me too."})
        hold.released.set()
        first.join(WAIT * 3)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"]["type"] == "rate_limit_exceeded"
    assert answers[0].status_code == 200


def test_an_engine_busy_beyond_the_wait_is_a_503(data_dir: Path) -> None:
    """When the engine stays held longer than TTS_SPEECH_WAIT_SECONDS, the answer is 503 with Retry-After."""
    engine = FakeSynthesizer()
    with live_server(data_dir, synthesizer=engine, speech_wait_seconds=0.05) as server, engine.lock:
        response = server.http.post("/v1/audio/speech", json={**SPEECH, "input": "Hello there."})
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["type"] == "engine_busy"
    assert engine.chunks == []


def test_the_api_answers_while_speech_requests_occupy_their_threads(data_dir: Path) -> None:
    """Forty speech requests waiting on the engine (as many as the default thread pool has threads) leave
    /api/tts/active_queue_stats answering; then all forty are spoken."""
    hold = Hold("Gamma one.")
    engine = _holding(hold)
    with live_server(data_dir, synthesizer=engine, speech_concurrency=40) as server, ThreadPoolExecutor(40) as pool:

        def speak(_: int) -> int:
            with httpx.Client(base_url=server.base_url, timeout=WAIT * 6, trust_env=False) as http:
                body = {**SPEECH, "input": "Gamma one. Gamma two."}
                return http.post("/v1/audio/speech", json=body).status_code

        statuses = pool.map(speak, range(40))
        assert hold.entered.wait(WAIT)
        assert engine.lock.wait_for_queued(39, WAIT), "the speech requests did not all reach the engine"
        stats = server.http.get("/api/tts/active_queue_stats")  # times out (fails) if no thread is free
        assert engine.lock.queued == 39  # answered while the speech requests are still in progress
        hold.released.set()
        assert list(statuses) == [200] * 40
    assert stats.status_code == 200


def test_the_worker_speaks_between_the_chunks_of_a_speech_request(data_dir: Path) -> None:
    """A chat message queued while a streamed speech request renders its first chunk is ready before the
    request's second chunk is made: the worker had its turn between them."""
    one, two = Hold("Delta one."), Hold("Delta two.")
    engine = _holding(one, two)
    with live_server(data_dir, synthesizer=engine) as server:
        speech, answers = _speak_in_background(server, "Delta one. Delta two. Delta three.", stream=True)
        assert one.entered.wait(WAIT)
        message = server.post_chat("@streamer hello from chat")
        assert engine.lock.wait_for_queued(1, WAIT), "the worker did not ask for the engine"
        one.released.set()
        wait_until(lambda: server.message(message["id"])["status"] == "ready", "the worker never got the engine")
        assert speech.is_alive() and not answers  # the speech request is not finished
        two.released.set()
        speech.join(WAIT * 3)
    assert answers[0].status_code == 200
    spoken = [chunk.strip() for chunk in engine.chunks]
    # a first message is read as its spoken text, in one go ("viewer says: hello from chat")
    chat = next(index for index, chunk in enumerate(spoken) if chunk.endswith("hello from chat"))
    assert chat < spoken.index("Delta two.")


@contextmanager
def _serve(engine: FakeSynthesizer) -> Iterator[tuple[str, uvicorn.Server, SpeechGate]]:
    """The speech endpoint alone on a real uvicorn; yields its URL, the server (to see its open connections) and
    the gate (to see when the request has ended)."""
    gate, finisher = SpeechGate(concurrency=1, wait_seconds=WAIT), UnchangedSpeech()
    dependencies = {
        "synthesizer": Provide(lambda: engine, sync_to_thread=False),
        "speech_gate": Provide(lambda: gate, sync_to_thread=False),
        "finisher": Provide(lambda: finisher, sync_to_thread=False),
    }
    app = Litestar([OpenAISpeechController], dependencies=dependencies)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, "uvicorn did not start")
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", server, gate
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


TEXT = "Beta one. Beta two. Beta three. Beta four. Beta five."


def _stops_after_the_second_chunk(
    engine: FakeSynthesizer, hold: Hold, server: uvicorn.Server, gate: SpeechGate
) -> None:
    wait_until(lambda: not server.server_state.connections, "the server did not see the client leave")
    hold.released.set()
    wait_until(lambda: gate.active == 0, "the speech request did not end")
    assert [chunk.strip() for chunk in engine.chunks] == ["Beta one.", "Beta two."]


def test_a_client_leaving_a_stream_stops_its_synthesis(data_dir: Path) -> None:
    """A streaming client that closes after the first chunk: the chunk being made is the last one made."""
    hold = Hold("Beta two.")
    engine = _holding(hold)
    with _serve(engine) as (url, server, gate):
        with (
            httpx.Client(base_url=url, timeout=WAIT, trust_env=False) as http,
            http.stream("POST", "/v1/audio/speech", json={**SPEECH, "input": TEXT, "stream": True}) as response,
        ):
            assert response.status_code == 200
            first = next(response.iter_raw())
            assert first[:4] == b"RIFF"
            assert hold.entered.wait(WAIT)
        _stops_after_the_second_chunk(engine, hold, server, gate)


def test_a_client_leaving_a_whole_file_request_stops_its_synthesis(data_dir: Path) -> None:
    """Without stream, a client that hangs up while its answer is made: no chunk after the current one is made."""
    hold = Hold("Beta two.")
    engine = _holding(hold)
    with _serve(engine) as (url, server, gate):
        body = json.dumps({**SPEECH, "input": TEXT}).encode()
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=WAIT) as client:
            head = f"POST /v1/audio/speech HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            client.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            assert hold.entered.wait(WAIT)
        _stops_after_the_second_chunk(engine, hold, server, gate)
