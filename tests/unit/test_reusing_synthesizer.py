"""Repeated chat is synthesized once: the reusing engine speaks each line once per voice, speed and engine."""

from __future__ import annotations

import threading

import pytest

from adapters.memory import FakeSynthesizer
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import ENTRY_OVERHEAD_BYTES, SpeechCache
from adapters.tone_synthesizer import ToneSynthesizer
from tts_core import SynthesisFailed
from tts_core.errors import EngineUnavailable
from tts_core.voice_mix import parse_voice_mix

MB = 1024 * 1024


def reusing(engine: FakeSynthesizer | ToneSynthesizer, capacity: int = 32 * MB) -> ReusingSynthesizer:
    return ReusingSynthesizer(engine, SpeechCache(capacity))


def lines_read(engine: FakeSynthesizer) -> list[str]:
    return [text for text, _ in engine.calls]


def joined(text: str) -> str:
    return " ".join(text.split("\n"))


def test_a_repeated_body_and_a_repeated_sender_are_synthesized_once_they_come_back() -> None:
    """In a raid, "GG" from many viewers costs the engine one reading of "GG" on its own (when the second viewer
    sends it); from then on only each sender's part is read. A viewer who writes again is kept the same way."""
    engine = FakeSynthesizer()
    reuse = reusing(engine)
    for text in ("alice says:\nGG", "bob says:\nGG", "cy says:\nGG", "alice says:\nLETS GO", "bob says:\nGG"):
        reuse.synthesize(text)
    assert lines_read(engine) == [
        "alice says: GG",  # all new: one reading, as the bare engine reads the spoken text
        "bob says:",
        "GG",  # seen before: read on its own and kept
        "cy says:",
        "alice says:",  # alice wrote before: kept now
        "LETS GO",
        "bob says:",
    ]


def test_new_lines_are_read_together_in_one_go_of_the_engine() -> None:
    """Chat where nothing repeats costs one engine call per message, as many as the bare loop over spoken texts."""
    engine = FakeSynthesizer()
    reuse = reusing(engine)
    for number in range(5):
        reuse.synthesize(f"viewer{number} says:\nmessage {number}")
    assert lines_read(engine) == [f"viewer{number} says: message {number}" for number in range(5)]
    tone = ToneSynthesizer()
    assert reusing(tone).synthesize("alice says:\nGG") == tone.synthesize("alice says: GG")


def test_reused_speech_is_what_the_engine_makes_for_the_whole_text() -> None:
    """A message made of cached lines has exactly the samples the bare engine gives for the whole text."""
    tone = ToneSynthesizer()
    reuse = reusing(tone)
    reuse.synthesize("alice says:\nGG")
    reuse.synthesize("bob says:\nLETS GO")
    assert reuse.synthesize("bob says:\nGG") == tone.synthesize("bob says:\nGG")
    assert reuse.synthesize("alice says:\nLETS GO") == tone.synthesize("alice says:\nLETS GO")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"voice": parse_voice_mix("af_heart")}, {"voice": parse_voice_mix("am_adam")}),
        ({"voice": None}, {"voice": parse_voice_mix("am_adam")}),
        ({"speed": 1.0}, {"speed": 1.2}),
        ({"speed": None}, {"speed": 1.2}),
    ],
    ids=["other-voice", "default-vs-chosen-voice", "other-speed", "default-vs-chosen-speed"],
)
def test_another_voice_or_speed_is_synthesized_again(first: dict[str, object], second: dict[str, object]) -> None:
    """The same words in another voice mix or at another speed are new work for the engine."""
    engine = FakeSynthesizer()
    reuse = reusing(engine)
    for _ in range(3):
        reuse.synthesize("GG", **first)  # type: ignore[arg-type]
    assert lines_read(engine) == ["GG", "GG"]  # the second time it is kept, the third comes from the cache
    engine.calls.clear()
    reuse.synthesize("GG", **second)  # type: ignore[arg-type]
    assert lines_read(engine) == ["GG"]


def test_another_engine_is_synthesized_again() -> None:
    """Speech is kept per engine: the same cache behind another engine makes its own speech."""
    cache = SpeechCache(32 * MB)
    fake, tone = FakeSynthesizer(), ToneSynthesizer()
    from_fake = ReusingSynthesizer(fake, cache).synthesize("GG")
    from_tone = ReusingSynthesizer(tone, cache).synthesize("GG")
    assert from_tone == tone.synthesize("GG") != from_fake


def test_a_zero_capacity_reads_every_text_whole() -> None:
    """TTS_REUSE_CACHE_MB=0: every message goes to the engine as it is, nothing is kept."""
    engine = FakeSynthesizer()
    reuse = reusing(engine, capacity=0)
    reuse.synthesize("alice says:\nGG")
    reuse.synthesize("alice says:\nGG")
    assert lines_read(engine) == ["alice says:\nGG", "alice says:\nGG"]
    assert reuse.cache.stats().entries == 0


def test_the_cache_never_holds_more_than_its_capacity() -> None:
    """With room for about three lines, the least recently used line is dropped and made again when asked."""
    engine = FakeSynthesizer(samples_per_char=100)  # "line N" is 6 chars: 1,200 bytes of samples
    entry = 1_200 + ENTRY_OVERHEAD_BYTES
    reuse = ReusingSynthesizer(engine, SpeechCache(3 * entry + 10, max_entry_bytes=entry))
    # each line is kept when it comes back; line 4 pushes out line 2, used least lately
    for text in ("line 1", "line 1", "line 2", "line 2", "line 3", "line 3", "line 1", "line 4", "line 4"):
        reuse.synthesize(text)
        assert reuse.cache.stats().size_bytes <= reuse.cache.capacity_bytes
    engine.calls.clear()
    for text in ("line 1", "line 3", "line 4", "line 2"):
        reuse.synthesize(text)
    assert lines_read(engine) == ["line 2"]
    assert reuse.cache.stats().entries == 3


def test_a_line_too_big_for_the_cache_is_not_kept() -> None:
    """One long text does not push out what chat repeats: lines over an eighth of the capacity are not kept."""
    engine = FakeSynthesizer(samples_per_char=100)
    reuse = ReusingSynthesizer(engine, SpeechCache(8 * (1_200 + ENTRY_OVERHEAD_BYTES)))
    long_line = "a line that is much too long to keep"
    for text in ("GG", "GG", long_line, long_line, long_line, "GG"):
        reuse.synthesize(text)
    assert lines_read(engine) == ["GG", "GG", long_line, long_line, long_line]


def test_chunks_come_in_reading_order_and_only_whole_lines_are_kept() -> None:
    """Chunks of cached and new lines come in order; a line left half-way is made again next time."""
    engine = FakeSynthesizer()
    reuse = reusing(engine)
    for text in ("GG.", "GG.", "One. Two."):  # "GG." is kept, "One. Two." seen once
        reuse.synthesize(text)
    chunks = reuse.synthesize_chunks("One. Two.\nGG.")
    assert next(chunks).pcm == next(iter(FakeSynthesizer().synthesize_chunks("One. Two."))).pcm
    chunks.close()  # type: ignore[attr-defined]
    engine.calls.clear()
    assert b"".join(c.pcm for c in reuse.synthesize_chunks("One. Two.\nGG.")) == engine.synthesize("One. Two.\nGG.").pcm
    assert lines_read(engine)[0] == "One. Two."
    engine.calls.clear()
    reuse.synthesize("One. Two.\nGG.")  # read to its end the second time: kept
    assert lines_read(engine) == []


def test_a_line_the_engine_refuses_fails_the_message_and_is_not_kept() -> None:
    """A body that cannot be said fails the whole message (not just "alice says:"); it is tried again later."""
    engine = FakeSynthesizer(fail_on={"forbidden"})
    reuse = reusing(engine)
    with pytest.raises(SynthesisFailed):
        reuse.synthesize("alice says:\nthe forbidden word")
    engine.fail_on.clear()
    reuse.synthesize("alice says:\nthe forbidden word")
    assert lines_read(engine)[-1] == "the forbidden word"


@pytest.mark.parametrize("text", ["", " \n \n", "\n"])
def test_a_text_without_lines_has_nothing_to_say(text: str) -> None:
    """Blank text is SynthesisFailed, raised on the first step like every engine's errors."""
    chunks = reusing(FakeSynthesizer()).synthesize_chunks(text)
    with pytest.raises(SynthesisFailed):
        next(chunks)


def test_an_engine_that_is_not_ready_is_asked_and_its_error_passes() -> None:
    """While the engine loads, messages wait (EngineUnavailable) even when their lines were cached before."""
    engine = FakeSynthesizer(ready=False)
    reuse = reusing(engine)
    with pytest.raises(EngineUnavailable):
        reuse.synthesize("GG")
    assert reuse.status() == engine.status()


def test_threads_sharing_the_cache_get_whole_speech() -> None:
    """The worker and other threads may share one reusing engine: every text comes back whole and right."""
    tone = ToneSynthesizer()
    reuse = ReusingSynthesizer(tone, SpeechCache(40 * (24_000 * 2) + 50 * ENTRY_OVERHEAD_BYTES))
    texts = [f"viewer {i % 7} says:\nmessage {i % 5}" for i in range(60)]
    wrong: list[str] = []

    def speak(part: list[str]) -> None:
        # lines apart (kept or read alone) or, the first time, read together: either way the engine's own reading
        wrong.extend(t for t in part if reuse.synthesize(t) not in (tone.synthesize(t), tone.synthesize(joined(t))))

    threads = [threading.Thread(target=speak, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert reuse.cache.stats().size_bytes <= reuse.cache.capacity_bytes


@pytest.mark.parametrize(("megabytes", "enabled"), [(2, True), (0, False)])
def test_the_container_wraps_the_workers_engine(megabytes: float, enabled: bool) -> None:
    """TTS_REUSE_CACHE_MB sizes the reuse cache in front of the configured engine; 0 turns reuse off."""
    from entrypoints.container import build_container
    from entrypoints.settings import load_settings

    container = build_container(load_settings(engine="tone", reuse_cache_mb=megabytes))
    worker_engine = container.reusing_synthesizer()
    assert isinstance(worker_engine, ReusingSynthesizer)
    assert worker_engine.inner is container.synthesizer()
    assert (worker_engine.cache.capacity_bytes, worker_engine.cache.enabled) == (megabytes * MB, enabled)
