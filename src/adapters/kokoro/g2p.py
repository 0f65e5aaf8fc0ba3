"""Text to phoneme chunks: misaki's G2P through a quiet KPipeline, or espeak-ng when spaCy's model is missing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, Protocol

import spacy
from kokoro import KPipeline
from misaki.espeak import EspeakFallback
from misaki.token import MToken

from adapters.kokoro.model_files import first_line
from adapters.kokoro.phonemes import split_phonemes
from adapters.kokoro.text import without_markup

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm"
_SEGMENTS = re.compile(r"\n+")  # the seed's split_pattern: each line is read on its own


class Phonemizer(Protocol):
    """Turns text into phoneme strings of at most 510 symbols, in reading order."""

    name: str
    """The G2P in use, as /health shows it: ``misaki`` or ``espeak``."""
    note: str
    """Why this G2P is used when it is a fallback (and how to get the better one); empty otherwise."""

    def __call__(self, text: str) -> Iterator[str]:
        """The phoneme chunks of ``text`` (possibly none)."""
        ...


class PipelinePhonemizer:
    """A ``KPipeline`` without a model: kokoro's own G2P and chunking, yielding phonemes only.

    misaki (English) reads the inline markup ``[word](/phonemes/)`` itself; for other G2Ps it is reduced to the word.
    """

    def __init__(self, pipeline: Any, name: str, *, reads_markup: bool = False) -> None:
        self.pipeline = pipeline
        self.name = name
        self.note = ""
        self.reads_markup = reads_markup

    def __call__(self, text: str) -> Iterator[str]:
        text = text if self.reads_markup else without_markup(text)
        for result in self.pipeline(text, voice=None, split_pattern=_SEGMENTS.pattern):
            if result.phonemes:
                yield result.phonemes


class EspeakEnglishPhonemizer:
    """English through espeak-ng with misaki's espeak-to-Kokoro symbol mapping (``misaki.espeak.EspeakFallback``,
    the same backend misaki uses for words it does not know)."""

    name = "espeak"

    def __init__(self, *, british: bool, note: str = "") -> None:
        self._espeak = EspeakFallback(british=british)
        self.note = note

    def __call__(self, text: str) -> Iterator[str]:
        for segment in _SEGMENTS.split(without_markup(text).strip()):
            if segment.strip():
                phonemes, _ = self._espeak(MToken(text=segment.strip(), tag="", whitespace=""))
                yield from split_phonemes(phonemes or "")


def build_phonemizer(lang_code: str, *, repo_id: str, allow_download: bool) -> Phonemizer:
    """The best G2P for ``lang_code``.

    English (``a``/``b``) uses misaki, which needs spaCy's ``en_core_web_sm``; misaki downloads it when it is
    not installed, which we allow only with ``allow_download`` (hub mode). When that fails, English falls
    back to espeak-ng, with one warning. Other languages use what kokoro picks (espeak-ng, or misaki for
    Japanese and Chinese). Raises whatever kokoro raises when no G2P at all can be built.
    """
    if lang_code not in ("a", "b"):
        pipeline = KPipeline(lang_code=lang_code, repo_id=repo_id, model=False)
        return PipelinePhonemizer(pipeline, name="misaki" if lang_code in ("j", "z") else "espeak")
    try:
        if not allow_download and not _spacy_model_installed():
            raise LookupError(f"{SPACY_MODEL} is not installed and a model directory is used offline")
        pipeline = KPipeline(lang_code=lang_code, repo_id=repo_id, model=False)
        return PipelinePhonemizer(pipeline, name="misaki", reads_markup=True)
    except (Exception, SystemExit) as error:  # spacy.cli.download exits the interpreter when pip fails
        note = (
            f"misaki's English G2P needs spaCy's {SPACY_MODEL}, which could not be loaded ({first_line(error)}); "
            f"reading with espeak-ng instead, which sounds less natural. Fix: python -m spacy download {SPACY_MODEL}"
        )
        log.warning("English G2P: %s", note)
        return EspeakEnglishPhonemizer(british=lang_code == "b", note=note)


def _spacy_model_installed() -> bool:
    return bool(spacy.util.is_package(SPACY_MODEL))
