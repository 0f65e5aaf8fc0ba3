"""Pronunciation markup reaches misaki as written; G2Ps that cannot read it get the plain word."""

from __future__ import annotations

from typing import Any

from adapters.kokoro.g2p import PipelinePhonemizer
from adapters.kokoro.text import without_markup


class _Result:
    def __init__(self, phonemes: str) -> None:
        self.phonemes = phonemes


class _EchoPipeline:
    """Stands in for a KPipeline: "phonemizes" a text by echoing it."""

    def __call__(self, text: str, **_: Any) -> list[_Result]:
        return [_Result(text)]


def test_markup_is_reduced_to_its_word() -> None:
    """[word](/phonemes/) becomes word; other brackets and parentheses stay."""
    assert without_markup("I love [Kokoro](/kˈOkəɹO/) and [gamer 42](/ɡˈAməɹ/)!") == "I love Kokoro and gamer 42!"
    assert without_markup("(hi) [not markup] (/x/)") == "(hi) [not markup] (/x/)"


def test_only_a_markup_reading_g2p_receives_markup() -> None:
    """misaki's English pipeline gets the markup; another G2P gets the word."""
    text = "say [gg](/ɡˈʊd ɡˈAm/)"
    assert list(PipelinePhonemizer(_EchoPipeline(), "misaki", reads_markup=True)(text)) == [text]
    assert list(PipelinePhonemizer(_EchoPipeline(), "espeak")(text)) == ["say gg"]
