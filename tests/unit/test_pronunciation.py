"""Pronunciations: whole-word, case-insensitive respellings and phoneme markup; checked input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tts_core.errors import InvalidInput
from tts_core.pronunciation import Pronunciation, PronunciationBook

GG = Pronunciation.checked("GG", say="good game", phonemes=None)
KOKORO = Pronunciation.checked("kokoro", say=None, phonemes="kˈOkəɹO")
BOOK = PronunciationBook((GG, KOKORO, Pronunciation.checked("good  game", say="nice one", phonemes=None)))


@pytest.mark.parametrize(
    ("text", "respelled"),
    [
        ("gg", "good game"),
        ("GG everyone!", "good game everyone!"),
        ("eggs and gg.", "eggs and good game."),  # whole words only
        ("gg_wp gg's", "gg_wp gg's"),  # underscores and apostrophes belong to a word
        ("what a GOOD game", "what a nice one"),  # phrases, spaces folded, any case
        ("kokoro", "kokoro"),  # a phoneme entry does not change what is shown
    ],
)
def test_respellings_replace_whole_words_in_any_case(text: str, respelled: str) -> None:
    """Each respelled word or phrase is replaced whole, whatever its case; others are untouched."""
    assert BOOK.respell(text) == respelled


def test_phonemes_become_misaki_markup_and_chat_brackets_cannot_smuggle_any() -> None:
    """A phoneme entry wraps the word as [word](/phonemes/); brackets typed in chat become parentheses."""
    assert BOOK.engine_text("I love Kokoro.") == "I love [Kokoro](/kˈOkəɹO/)."
    assert BOOK.engine_text("say [hi](/hˈI/)") == "say (hi)(/hˈI/)"


def test_a_respelling_is_not_respelled_again() -> None:
    """Replacements happen in one pass: a respelling containing another entry's word stays as written."""
    book = PronunciationBook(
        (Pronunciation.checked("a", say="b", phonemes=None), Pronunciation.checked("b", say="c", phonemes=None))
    )
    assert book.respell("a b") == "b c"


@pytest.mark.parametrize(
    ("word", "say", "phonemes", "field"),
    [
        ("", "x", None, "word"),
        ("two  words!", "x", None, "word"),
        ("x" * 51, "x", None, "word"),
        ("gg", None, None, "say"),
        ("gg", "good game", "ɡˈʊd", "say"),
        ("gg", "<b>", None, "say"),
        ("gg", None, "a](/x/)", "phonemes"),
        ("gg", None, "  ", "phonemes"),
    ],
)
def test_bad_entries_name_the_field(word: str, say: str | None, phonemes: str | None, field: str) -> None:
    """An unusable word, respelling or phoneme string is refused, naming the field."""
    with pytest.raises(InvalidInput) as refused:
        Pronunciation.checked(word, say=say, phonemes=phonemes)
    assert refused.value.field == field


@given(st.text(max_size=80))
def test_an_empty_book_changes_nothing_and_markup_is_always_well_formed(text: str) -> None:
    """Without entries nothing is respelled; engine text never holds a square bracket from the input."""
    assert PronunciationBook().respell(text) == text
    marked = BOOK.engine_text(text)
    assert marked.count("[") == marked.count("](/")
