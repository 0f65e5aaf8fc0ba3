"""The Synthesizer contract for engines that need no model: the fake, the tone stand-in, and both reused."""

from __future__ import annotations

import pytest

from adapters.memory import FakeSynthesizer
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from adapters.tone_synthesizer import ToneSynthesizer
from tts_core import EngineBusy, SynthesisFailed, Synthesizer


@pytest.fixture(params=["fake", "tone", "reused-fake", "reused-tone"])
def engine(request: pytest.FixtureRequest) -> Synthesizer:
    bare: Synthesizer = FakeSynthesizer() if request.param.endswith("fake") else ToneSynthesizer()
    return ReusingSynthesizer(bare, SpeechCache(8 * 1024 * 1024)) if request.param.startswith("reused") else bare


@pytest.mark.parametrize(
    "text", ["alice says:\nGG", "alice says:\n\n  GG well played! See you.  \n", "  alice says: \n GG"]
)
def test_each_line_is_read_on_its_own(engine: Synthesizer, text: str) -> None:
    """A text of lines sounds like its lines spoken one after another (whitespace around them changes nothing)."""
    lines = [line for line in text.split("\n") if line.strip()]
    pieces = [engine.synthesize(line) for line in lines]
    assert engine.synthesize(text).pcm == b"".join(piece.pcm for piece in pieces)
    assert b"".join(chunk.pcm for chunk in engine.synthesize_chunks(text)) == engine.synthesize(text).pcm


def test_speech_is_mono_16bit_and_not_silent(engine: Synthesizer) -> None:
    """Speech comes back as whole 16-bit samples at a real sample rate, with sound in it."""
    speech = engine.synthesize("hello chat, thanks for the follow")
    assert speech.sample_rate == 24_000
    assert len(speech.pcm) % 2 == 0
    assert not speech.is_silent
    assert engine.status().ready


def test_longer_text_gives_longer_speech(engine: Synthesizer) -> None:
    """Duration grows with the text."""
    short = engine.synthesize("hi there")
    long = engine.synthesize("hi there, this is a much longer message from chat")
    assert long.duration_seconds > short.duration_seconds


def test_tone_engine_is_deterministic_and_paced_like_speech() -> None:
    """Same text, same samples; about 15 characters a second."""
    engine = ToneSynthesizer()
    text = "the quick brown fox jumps over the lazy dog " * 3
    first, second = engine.synthesize(text), engine.synthesize(text)
    assert first == second
    assert first.duration_seconds == pytest.approx(len(text.strip()) / 15, rel=0.1)


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", "🎉🎉"])
def test_tone_engine_refuses_text_with_nothing_to_say(text: str) -> None:
    """Punctuation or emoji only is a SynthesisFailed, like a real engine that yields no audio."""
    with pytest.raises(SynthesisFailed):
        ToneSynthesizer().synthesize(text)


def test_chunks_join_to_the_whole_speech(engine: Synthesizer) -> None:
    """Three sentences come as several chunks at one sample rate whose samples joined are synthesize()'s."""
    text = "Thanks for the raid! Welcome, everyone. How was the stream?"
    chunks = list(engine.synthesize_chunks(text, speed=1.2))
    assert len(chunks) == 3
    assert {chunk.sample_rate for chunk in chunks} == {24_000}
    assert b"".join(chunk.pcm for chunk in chunks) == engine.synthesize(text, speed=1.2).pcm


def test_chunks_are_computed_only_when_asked() -> None:
    """The fake computes nothing before next() and nothing more once the iterator is closed."""
    fake = FakeSynthesizer()
    chunks = fake.synthesize_chunks("One. Two. Three.")
    assert fake.chunks == []
    next(chunks)
    chunks.close()  # type: ignore[attr-defined]
    assert fake.chunks == ["One. "]
    assert fake.finished == ["One. Two. Three."]


def test_a_held_engine_makes_a_bounded_wait_fail() -> None:
    """While another caller holds the fake's engine, a chunk with a wait raises EngineBusy."""
    fake = FakeSynthesizer()
    with fake.lock, pytest.raises(EngineBusy):
        next(fake.synthesize_chunks("hello", wait=0.01))


@pytest.mark.parametrize("engine", [FakeSynthesizer(fail_on={"!!!"}), ToneSynthesizer()], ids=["fake", "tone"])
def test_errors_come_from_the_first_step(engine: Synthesizer) -> None:
    """Text with nothing to say fails on the first next(), not when the iterator is made."""
    chunks = engine.synthesize_chunks("!!!")
    with pytest.raises(SynthesisFailed):
        next(chunks)


def test_tone_delay_is_spread_over_the_chunks() -> None:
    """TTS_TONE_DELAY: a message takes ``delay`` seconds in all, a slice before each sentence's chunk."""
    slept: list[float] = []
    engine = ToneSynthesizer(delay=0.9, sleep=slept.append)
    engine.synthesize("Thanks for the raid! Welcome, everyone. How was the stream?")
    assert slept == pytest.approx([0.3, 0.3, 0.3])
    assert ToneSynthesizer(sleep=slept.append).synthesize("no delay by default") is not None
    assert len(slept) == 3


def test_the_container_gives_the_tone_engine_its_delay() -> None:
    """``tone_delay`` in the settings reaches the tone engine the container builds."""
    from entrypoints.container import build_container
    from entrypoints.settings import load_settings

    container = build_container(load_settings(engine="tone", tone_delay=0.25))
    engine = container.synthesizer()
    assert isinstance(engine, ToneSynthesizer)
    assert engine.delay == 0.25
