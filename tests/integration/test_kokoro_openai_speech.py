"""POST /v1/audio/speech on a real uvicorn, called with the official openai client."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import numpy as np
import openai
import pytest
import soundfile
import torch
from litestar import Litestar
from litestar.di import Provide

from adapters.kokoro.pcm import to_pcm16
from adapters.kokoro.phonemes import is_spoken
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.kokoro.text import without_emoji
from adapters.loudness import LoudnessFinisher, db, from_pcm, integrated_loudness, true_peak
from adapters.tone_synthesizer import ToneSynthesizer
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.speech_gate import SpeechGate
from tests.kokoro_support import loaded_synthesizer, serving
from tts_core.ports import SpeechFinisher, Synthesizer
from tts_core.speech import Speech
from tts_core.voice_mix import parse_voice_mix


def _finisher() -> SpeechFinisher:
    return LoudnessFinisher()


def _app(synthesizer: Synthesizer) -> Litestar:
    gate = SpeechGate(concurrency=2, wait_seconds=60)
    dependencies = {
        "synthesizer": Provide(lambda: synthesizer, sync_to_thread=False),
        "speech_gate": Provide(lambda: gate, sync_to_thread=False),
        "finisher": Provide(_finisher, sync_to_thread=False),
    }
    return Litestar([OpenAISpeechController], dependencies=dependencies)


@pytest.fixture(scope="module")
def tone_url() -> Iterator[str]:
    with serving(_app(ToneSynthesizer())) as url:
        yield url


def _client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-needed", max_retries=0, timeout=60)


def test_openai_client_gets_a_wav(tone_url: str) -> None:
    """speech.create(model=tts-1, voice=af_heart, response_format=wav) returns a 24 kHz mono WAV."""
    response = _client(tone_url).audio.speech.create(
        model="tts-1", voice="af_heart", input="Hello from the stream", response_format="wav"
    )
    samples, rate = soundfile.read(io.BytesIO(response.content), dtype="int16")
    assert rate == 24_000
    assert samples.ndim == 1
    assert np.abs(samples).max() > 1000


def test_openai_client_gets_raw_pcm(tone_url: str) -> None:
    """response_format=pcm is headerless 16-bit LE mono at 24 kHz: its length matches the WAV's samples."""
    client = _client(tone_url)
    text = "Raw samples please"
    pcm = client.audio.speech.create(model="tts-1-hd", voice="af_heart", input=text, response_format="pcm").content
    wav = client.audio.speech.create(model="tts-1-hd", voice="af_heart", input=text, response_format="wav").content
    assert pcm[:4] != b"RIFF"
    assert len(pcm) // 2 == soundfile.info(io.BytesIO(wav)).frames


def test_openai_client_sees_400_naming_the_field(tone_url: str) -> None:
    """A bad model is a BadRequestError whose body names the field, OpenAI-style."""
    with pytest.raises(openai.BadRequestError) as caught:
        _client(tone_url).audio.speech.create(model="gpt-9", voice="af_heart", input="hi", response_format="wav")
    assert caught.value.body is not None
    assert caught.value.param == "model"


def test_unsupported_format_names_response_format(tone_url: str) -> None:
    """aac is refused with 400, naming response_format and the supported list."""
    response = httpx.post(
        f"{tone_url}/v1/audio/speech",
        json={"model": "kokoro", "input": "hi", "voice": "af_heart", "response_format": "aac"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "response_format"
    assert "wav, pcm" in error["message"]


@pytest.mark.kokoro
@pytest.mark.slow
def test_real_kokoro_speaks_a_mix_through_the_openai_client() -> None:
    """With Kokoro behind it, a mix string as voice gives audible speech of plausible length (wav and flac)."""
    with serving(_app(loaded_synthesizer())) as url:
        client = _client(url)
        wav = client.audio.speech.create(
            model="kokoro", voice="am_adam60_af_heart40", input="Thanks for the follow!", response_format="wav"
        ).content
        flac = client.audio.speech.create(
            model="tts-1", voice="af_heart", input="Thanks for the follow!", response_format="flac", speed=1.2
        ).content
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float64")
    assert rate == 24_000
    assert 0.8 < len(samples) / rate < 4.0
    assert np.sqrt(np.mean(samples**2)) > 0.02
    assert soundfile.info(io.BytesIO(flac)).format == "FLAC"


THREE_SENTENCES = (
    "Thanks for the raid, everyone! We start the final boss in a minute. Tell me in chat which build to try."
)


def _as_before(kokoro: KokoroSynthesizer, text: str, voice: str) -> bytes:
    """The code before chunking, written out: every phoneme chunk through the model in one loop, joined."""
    engine = kokoro.engine
    assert engine is not None
    pack = engine.voices.mixed(parse_voice_mix(voice))
    with torch.inference_mode():
        pieces = [
            engine.model(phonemes, pack[len(phonemes) - 1], kokoro.config.speed).numpy()
            for phonemes in engine.phonemizer(without_emoji(text))
            if is_spoken(phonemes)
        ]
    return to_pcm16(np.concatenate(pieces))


@pytest.mark.kokoro
@pytest.mark.slow
def test_real_kokoro_streams_three_sentences_as_several_chunks() -> None:
    """stream: true sends the WAV sentence by sentence (several body chunks as the engine makes them) and the pieces
    joined are one valid WAV of speech; the whole file is unchanged but for the levelling: with the same random seed
    (Kokoro's source adds noise) it is bit for bit what the code before chunking made, finished once. Both are
    levelled to −16 LUFS (the stream with its first chunk's gain, so within a looser margin)."""
    kokoro = loaded_synthesizer()
    body = {"model": "kokoro", "voice": "af_heart", "input": THREE_SENTENCES, "response_format": "wav"}
    with serving(_app(kokoro)) as url, httpx.Client(base_url=url, timeout=300, trust_env=False) as http:
        with http.stream("POST", "/v1/audio/speech", json={**body, "stream": True}) as response:
            assert response.status_code == 200
            pieces = list(response.iter_raw())
        torch.manual_seed(7)  # one process-wide generator: the server thread draws from it too
        whole = http.post("/v1/audio/speech", json=body)
    torch.manual_seed(7)
    before = _as_before(kokoro, THREE_SENTENCES, "af_heart")
    assert len(pieces) >= 3
    streamed, rate = soundfile.read(io.BytesIO(b"".join(pieces)), dtype="int16")
    assert rate == 24_000
    assert 4.0 < len(streamed) / rate < 15.0
    assert np.abs(streamed).max() > 1000
    samples, _ = soundfile.read(io.BytesIO(whole.content), dtype="int16")
    finished = LoudnessFinisher().finish(Speech(pcm=before, sample_rate=24_000))
    assert samples.tobytes() == finished.pcm
    assert integrated_loudness(from_pcm(finished), 24_000) == pytest.approx(-16.0, abs=0.5)
    assert db(true_peak(from_pcm(finished))) <= -1.0
    assert integrated_loudness(streamed.astype(np.float64) / 32767, 24_000) == pytest.approx(-16.0, abs=2.0)
