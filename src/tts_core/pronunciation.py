"""Pronunciations: how the streamer wants a word said, as a respelling or as Kokoro phonemes.

A respelling (``gg`` → "good game") changes what is *said and shown*: it is applied in the chat pipeline,
so it appears in ``spoken_text``. Phonemes (``gg`` → ``ɡˈʊd ɡˈAm``) change only *how* a word sounds: the
caption keeps the word, and the engine gets misaki's inline markup ``[gg](/ɡˈʊd ɡˈAm/)``
(see :meth:`PronunciationBook.engine_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from tts_core.errors import InvalidInput

MAX_WORD_CHARS = 50
MAX_SAY_CHARS = 200
MAX_PHONEMES_CHARS = 200

_WORD = re.compile(r"[\w']+(?: [\w']+)*")
_SAY = re.compile(r"[\w' ,.!?-]+")
# misaki's markup is [text](/phonemes/): brackets, parentheses and slashes would break it
_NOT_PHONEMES = re.compile(r"[\[\]()/\\{}<>\n\r\t]")


def word_key(word: str) -> str:
    """A dictionary word as it is compared: spaces folded, in lower case (``"GG "`` → ``"gg"``)."""
    return " ".join(word.split()).casefold()


def check_word(word: str) -> str:
    """The key of ``word``, or :class:`InvalidInput` (field ``word``) when it is not one or more plain words."""
    key = word_key(word)
    if not key or len(key) > MAX_WORD_CHARS or not _WORD.fullmatch(key):
        raise InvalidInput(
            "word", f"must be 1 to {MAX_WORD_CHARS} characters of words (letters, digits, _ and '), not {word!r}"
        )
    return key


@attrs.frozen(kw_only=True)
class Pronunciation:
    """One dictionary entry: exactly one of ``say`` and ``phonemes`` is set."""

    word: str
    """The word or phrase matched, whole and in any case (stored as :func:`word_key`)."""
    say: str | None = None
    """A respelling read instead of the word, shown in ``spoken_text``."""
    phonemes: str | None = None
    """Kokoro's phoneme alphabet for the word (what misaki's ``[word](/phonemes/)`` markup takes)."""

    @classmethod
    def checked(cls, word: str, *, say: str | None, phonemes: str | None) -> Pronunciation:
        """An entry from caller input; :class:`InvalidInput` names the field that is wrong."""
        key = check_word(word)
        say = " ".join(say.split()) if say is not None else None
        phonemes = phonemes.strip() if phonemes is not None else None
        if (say is None) == (phonemes is None):
            raise InvalidInput("say", "give either say (a respelling) or phonemes, not both and not neither")
        if say is not None and (not say or len(say) > MAX_SAY_CHARS or not _SAY.fullmatch(say)):
            raise InvalidInput("say", f"must be 1 to {MAX_SAY_CHARS} characters of plain words, not {say!r}")
        if phonemes is not None and (
            not phonemes or len(phonemes) > MAX_PHONEMES_CHARS or _NOT_PHONEMES.search(phonemes)
        ):
            raise InvalidInput(
                "phonemes", f"must be 1 to {MAX_PHONEMES_CHARS} phoneme symbols without []()/ or tabs, not {phonemes!r}"
            )
        return cls(word=key, say=say, phonemes=phonemes)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    # longest first, so "good game" wins over "good"; whole words only, spaces matching any run of spaces
    ordered = sorted(words, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split(" "))) for word in ordered)
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE)


@attrs.frozen
class PronunciationBook:
    """The dictionary as it stood when a message was queued."""

    entries: tuple[Pronunciation, ...] = ()
    _by_word: dict[str, Pronunciation] = attrs.field(init=False, eq=False, repr=False)
    _respell: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _phonemes: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_word = {entry.word: entry for entry in self.entries}
        object.__setattr__(self, "_by_word", by_word)
        object.__setattr__(self, "_respell", _pattern(w for w, e in by_word.items() if e.say is not None))
        object.__setattr__(self, "_phonemes", _pattern(w for w, e in by_word.items() if e.phonemes is not None))

    def get(self, word: str) -> Pronunciation | None:
        """The entry for ``word`` (any case), or ``None``."""
        return self._by_word.get(word_key(word))

    def respell(self, text: str) -> str:
        """``text`` with every respelled word replaced by its respelling (one pass: a respelling is not respelled)."""
        if self._respell is None:
            return text
        return self._respell.sub(lambda m: self._by_word[word_key(m.group())].say or m.group(), text)

    def engine_text(self, text: str) -> str:
        """``text`` with each word that has phonemes wrapped in misaki's markup: ``[word](/phonemes/)``.

        Square brackets already in ``text`` become parentheses first: chat cannot smuggle markup of its own.
        """
        text = text.replace("[", "(").replace("]", ")")
        if self._phonemes is None:
            return text
        return self._phonemes.sub(lambda m: markup(m.group(), self._by_word[word_key(m.group())].phonemes or ""), text)


def markup(text: str, phonemes: str) -> str:
    """misaki's inline pronunciation of ``text``: ``[text](/phonemes/)``."""
    return f"[{text}](/{phonemes}/)"
