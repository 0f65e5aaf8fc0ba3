"""Pure helpers: emoji removal, phoneme chunking, speech detection, float → int16 PCM."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.kokoro.pcm import to_pcm16
from adapters.kokoro.phonemes import MAX_PHONEMES, is_spoken, split_phonemes
from adapters.kokoro.text import without_emoji


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello 😂😂 world", "hello   world"),
        ("❤️", "  "),
        ("👍🏽 nice", "  nice"),
        ("👨‍👩‍👧 family", "  family"),
        ("🇺🇸 flag", "  flag"),
        ("3️⃣ three", "3  three"),
        ("25°C, 100% ™ café — ok?", "25°C, 100% ™ café — ok?"),
        ("@streamer thanks!", "@streamer thanks!"),
    ],
)
def test_emoji_are_dropped_and_text_kept(text: str, expected: str) -> None:
    """Emoji (with their joiners and modifiers) become spaces; letters, digits and ° ™ — stay."""
    assert without_emoji(text).replace("  ", " ").strip() == expected.replace("  ", " ").strip()


@pytest.mark.parametrize(
    ("phonemes", "spoken"),
    [("həlˈO", True), ("...!!!", False), ("", False), (" , ", False), ("“…”", False), ("ɪt.", True)],
)
def test_only_punctuation_is_not_speech(phonemes: str, spoken: bool) -> None:
    """A chunk of punctuation and spaces is a pause, not speech."""
    assert is_spoken(phonemes) is spoken


def test_short_phonemes_stay_whole() -> None:
    """Up to 510 symbols make one chunk."""
    assert split_phonemes(" həlˈO wˈɜɹld! ") == ["həlˈO wˈɜɹld!"]


def test_long_phonemes_are_cut_after_a_sentence_end() -> None:
    """The cut prefers the last sentence end within the limit."""
    first = "a" * 300 + "."
    second = "b " * 200
    chunks = split_phonemes(first + " " + second)
    assert chunks[0] == first
    assert all(len(c) <= MAX_PHONEMES for c in chunks)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    """Without any cut point the chunk is cut at the limit."""
    assert [len(c) for c in split_phonemes("x" * 1200)] == [510, 510, 180]


@given(st.text(alphabet="abɪˈ .,!?—…;: ", max_size=2000), st.integers(min_value=2, max_value=600))
def test_chunks_fit_and_keep_every_symbol(phonemes: str, limit: int) -> None:
    """Every chunk is non-empty and within the limit; only whitespace is lost."""
    chunks = split_phonemes(phonemes, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join(chunks).replace(" ", "") == phonemes.replace(" ", "")


def test_pcm_is_int16_little_endian_with_clipping() -> None:
    """Full scale maps to ±32767, beyond it clips, NaN is silence."""
    audio = np.array([0.0, 0.5, 1.0, -1.0, 1.7, -3.0, np.nan], dtype=np.float32)
    samples = np.frombuffer(to_pcm16(audio), dtype="<i2").tolist()
    assert samples == [0, 16384, 32767, -32767, 32767, -32767, 0]
