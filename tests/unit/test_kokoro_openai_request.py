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

from adapters.memory import FakeSynthesizer
from adapters.tone_synthesizer import ToneSynthesizer
from entrypoints.http.openai_speech import OpenAISpeechController, encode, parse_speech_request, supported_formats
from tts_core.errors import InvalidInput
from tts_core.ports import Synthesizer
from tts_core.speech import Speech

_GOOD = {"model": "tts-1", "input": "Hello chat", "voice": "af_heart", "response_format": "wav"}


def _app(synthesizer: Synthesizer) -> Litestar:
    return Litestar(
        [OpenAISpeechController], dependencies={"synthesizer": Provide(lambda: synthesizer, sync_to_thread=False)}
    )


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
