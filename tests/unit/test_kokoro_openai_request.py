"""The OpenAI speech endpoint without a model: request checks, encodings, errors with the field named."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import soundfile
from litestar import Litestar
from litestar.di import Provide
from litestar.testing import TestClient

from adapters.loudness import UnchangedSpeech
from adapters.memory import FakeSynthesizer
from adapters.tone_synthesizer import ToneSynthesizer
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.speech_gate import SpeechGate
from entrypoints.http.speech_request import FORMATS, encode, parse_speech_request, sentences, supported_formats
from tts_core.errors import InvalidInput
from tts_core.ports import SpeechFinisher, Synthesizer
from tts_core.speech import Speech

_GOOD = {"model": "tts-1", "input": "Hello chat", "voice": "af_heart", "response_format": "wav"}


def _finisher() -> SpeechFinisher:
    return UnchangedSpeech()


def _app(synthesizer: Synthesizer, gate: SpeechGate | None = None) -> Litestar:
    gate = gate or SpeechGate(concurrency=1, wait_seconds=5)
    dependencies = {
        "synthesizer": Provide(lambda: synthesizer, sync_to_thread=False),
        "speech_gate": Provide(lambda: gate, sync_to_thread=False),
        "finisher": Provide(_finisher, sync_to_thread=False),
    }
    return Litestar([OpenAISpeechController], dependencies=dependencies)


def test_a_good_request_is_read() -> None:
    """model, input, voice (a mix), format and speed come through checked."""
    request = parse_speech_request({**_GOOD, "voice": "am_adam60_af_heart40", "speed": 1.5, "model": "kokoro"})
    assert (request.model, request.input, str(request.voice), request.response_format, request.speed) == (
        "kokoro",
        "Hello chat",
        "am_adam60_af_heart40",
        "wav",
        1.5,
    )


def test_defaults_follow_openai() -> None:
    """Without response_format OpenAI answers mp3; without speed the server's TTS_SPEED applies."""
    request = parse_speech_request({"model": "tts-1-hd", "input": "hi", "voice": {"id": "af_heart"}})
    assert (request.response_format, request.speed, str(request.voice)) == ("mp3", None, "af_heart100")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"model": "gpt-9"}, "model"),
        ({"model": None}, "model"),
        ({"input": ""}, "input"),
        ({"input": "x" * 4097}, "input"),
        ({"input": 5}, "input"),
        ({"voice": None}, "voice"),
        ({"voice": "am_adam60_af_heart30"}, "voice"),
        ({"response_format": "aac"}, "response_format"),
        ({"response_format": "ogg"}, "response_format"),
        ({"speed": 0.1}, "speed"),
        ({"speed": 5}, "speed"),
        ({"speed": "fast"}, "speed"),
        ({"speed": True}, "speed"),
        ({"stream_format": "sse"}, "stream_format"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], field: str) -> None:
    """Each unusable value raises InvalidInput for its own field."""
    with pytest.raises(InvalidInput) as caught:
        parse_speech_request({**_GOOD, **change})
    assert caught.value.field == field


def test_unsupported_format_lists_the_supported_ones() -> None:
    """aac is refused with the list of formats this server writes."""
    with pytest.raises(InvalidInput, match=r"'aac' is not supported here; use one of wav, pcm\b") as caught:
        parse_speech_request({**_GOOD, "response_format": "aac"})
    assert caught.value.message.endswith(", ".join(supported_formats()))


@pytest.mark.parametrize(
    ("response_format", "container"), [("wav", "WAV"), ("flac", "FLAC"), ("mp3", "MP3"), ("opus", "OGG")]
)
def test_formats_decode_to_the_same_length(response_format: str, container: str) -> None:
    """Each file format holds mono 24 kHz audio of the speech's duration."""
    if response_format not in supported_formats():
        pytest.skip(f"this libsndfile cannot write {container}")
    speech = ToneSynthesizer().synthesize("hello there chat")
    data = encode(speech, response_format)
    info = soundfile.info(io.BytesIO(data))
    assert (info.format, info.channels, info.samplerate) == (container, 1, 24_000)
    assert info.duration == pytest.approx(speech.duration_seconds, abs=0.1)


def test_pcm_is_the_raw_samples() -> None:
    """pcm is the 16-bit LE mono samples themselves, no header."""
    speech = Speech(pcm=np.arange(10, dtype="<i2").tobytes(), sample_rate=24_000)
    assert encode(speech, "pcm") == speech.pcm


def test_endpoint_answers_audio_and_passes_voice_and_speed() -> None:
    """A POST gives audio/wav; the synthesizer gets the input, the mix and the speed."""
    fake = FakeSynthesizer()
    with TestClient(_app(fake)) as client:
        response = client.post("/v1/audio/speech", json={**_GOOD, "voice": "jared50_martha50", "speed": 1.2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    assert fake.calls == [("Hello chat", "jared50_martha50")]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({**_GOOD, "voice": "nope50"}, "voice"),
        ({**_GOOD, "response_format": "aac"}, "response_format"),
        ([1, 2], "body"),
    ],
)
def test_endpoint_errors_name_the_field_openai_style(body: object, param: str) -> None:
    """Bad input is a 400 whose error.param (and field) names the offending field."""
    with TestClient(_app(FakeSynthesizer())) as client:
        response = client.post("/v1/audio/speech", json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["error"]["param"] == param
    assert payload["field"] == param
    assert payload["error"]["type"] == "invalid_request_error"


def test_text_without_speech_is_a_400_on_input() -> None:
    """An input that yields no audio is the client's problem: 400 on input."""
    with TestClient(_app(ToneSynthesizer())) as client:
        response = client.post("/v1/audio/speech", json={**_GOOD, "input": "!!!"})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"


def test_engine_not_ready_is_a_503_with_the_reason() -> None:
    """While the engine loads (or lacks its model) the endpoint answers 503 saying why."""
    with TestClient(_app(FakeSynthesizer(ready=False))) as client:
        response = client.post("/v1/audio/speech", json=_GOOD)
    assert response.status_code == 503
    assert "not ready" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        (b'{"model": "tts-1", "input": "hi", "voice": "af_heart", "speed": 1e400}', 400, "body"),
        (b'{"model": "tts-1", "input": "hi", "voice": "af_heart", "speed": 1' + b"0" * 5000 + b"}", 400, "body"),
        (b'{"model": "tts-1", "input": "hi", "voice": "af_heart", "speed": 1e300}', 400, "speed"),
        (b'{"model": "tts-1", "input": "hi", "voice": "af_heart", "speed": -1e300}', 400, "speed"),
        (b'{"model": "tts-1", "input": "' + b"x" * 40_000 + b'", "voice": "af_heart"}', 400, "input"),
        (b'{"model": "tts-1", "input": "' + b"x" * 70_000 + b'", "voice": "af_heart"}', 413, None),
        (b'{"model": "tts-1", "input": "' + b"x" * 11_000_000 + b'", "voice": "af_heart"}', 413, None),
        (b'{"model": "tts-1", "input": "hi", "voice": "af_heart"', 400, "body"),
        (b"[" * 60_000, 400, "body"),
    ],
    ids=[
        "speed-inf",
        "speed-huge-int",
        "speed-1e300",
        "speed-minus",
        "input-40k",
        "body-70k",
        "body-11M",
        "bad-json",
        "deep",
    ],
)
def test_oversized_or_absurd_bodies_never_fail_the_server(body: bytes, status: int, param: str | None) -> None:
    """Huge numbers, over-long inputs and bodies, broken JSON: a 4xx in OpenAI's shape, never a 500."""
    fake = FakeSynthesizer()
    with TestClient(_app(fake)) as client:
        response = client.post("/v1/audio/speech", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["error"]["param"] == param
    assert fake.calls == []


@pytest.mark.parametrize(
    ("change", "message"), [({"stream": "yes"}, "true or false"), ({"response_format": "flac"}, "wav and pcm")]
)
def test_stream_needs_a_boolean_and_a_streamable_format(change: dict[str, Any], message: str) -> None:
    """stream must be a boolean, and only wav and pcm stream: otherwise a 400 naming stream."""
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_speech_request({**_GOOD, "stream": True, **change})
    assert caught.value.field == "stream"


@pytest.mark.parametrize("response_format", ["wav", "pcm"])
def test_a_streamed_answer_is_made_sentence_by_sentence(response_format: str) -> None:
    """stream: true sends each sentence's samples as made (a sentence of only punctuation is skipped); a streamed
    WAV's header says 'length unknown' and decodes to those samples."""
    text = "Thanks for the raid! ... Welcome, everyone.\nHow was the stream?"
    tone = ToneSynthesizer()
    expected = b"".join(
        tone.synthesize(part).pcm for part in ("Thanks for the raid!", "Welcome, everyone.", "How was the stream?")
    )
    with TestClient(_app(tone)) as client:
        body = {**_GOOD, "input": text, "response_format": response_format, "stream": True}
        streamed = client.post("/v1/audio/speech", json=body)
    assert streamed.status_code == 200
    assert streamed.headers["content-type"] == FORMATS[response_format][0]
    if response_format == "pcm":
        assert streamed.content == expected
        return
    assert streamed.content[4:8] == b"\xff\xff\xff\xff"
    assert streamed.content[44:] == expected
    samples, rate = soundfile.read(io.BytesIO(streamed.content), dtype="int16")
    assert (rate, samples.tobytes()) == (24_000, expected)


def test_a_stream_with_nothing_to_say_is_a_400_on_input() -> None:
    """When no sentence yields audio the stream is refused before it starts: 400 naming input."""
    with TestClient(_app(ToneSynthesizer())) as client:
        response = client.post("/v1/audio/speech", json={**_GOOD, "input": "!!! ???", "stream": True})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"


def test_a_full_gate_is_a_429_with_retry_after() -> None:
    """When every speech place is taken the answer is 429 with Retry-After, OpenAI-shaped, and nothing is spoken."""
    gate, fake = SpeechGate(concurrency=1, wait_seconds=5), FakeSynthesizer()
    assert gate.try_enter()
    with TestClient(_app(fake, gate)) as client:
        response = client.post("/v1/audio/speech", json=_GOOD)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["type"] == "rate_limit_exceeded"
    assert fake.calls == []


def test_every_request_gives_its_place_back() -> None:
    """After answers, refusals and engine errors alike, no place of the gate stays taken."""
    gate = SpeechGate(concurrency=1, wait_seconds=5)
    with TestClient(_app(FakeSynthesizer(fail_on={"bad"}), gate)) as client:
        for body in (_GOOD, {**_GOOD, "stream": True}, {**_GOOD, "input": "bad"}, {**_GOOD, "voice": "nope50"}):
            assert client.post("/v1/audio/speech", json=body).status_code in (200, 400)
            assert gate.active == 0


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("line one\n\nline two", ["line one", "line two"]),
        ("3.5 points… wow", ["3.5 points…", "wow"]),
        ("  lonely  ", ["lonely"]),
    ],
)
def test_sentences_cut_at_sentence_ends_and_lines(text: str, parts: list[str]) -> None:
    """A stream's pieces: after ., !, ?, … followed by a space, and at line breaks; a decimal point is no end."""
    assert sentences(text) == parts
