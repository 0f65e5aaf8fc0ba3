"""What Kokoro reads of a chat text: emoji are left out, since espeak would read their names ("party popper")."""

from __future__ import annotations

import re

# Emoji blocks, pictographic symbols, and the joiners, variation selectors, keycaps and tags that build emoji.
_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # mahjong/cards, emoticons, pictographs, transport, flags, supplemental symbols
    "\u2300-\u23ff"  # technical: ⌚ ⏰ ⏩
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats: ☀ ❤ ✨
    "\u2b00-\u2bff"  # arrows and stars: ⭐ ⬆
    "\ufe00-\ufe0f"  # variation selectors
    "\u200d"  # zero-width joiner
    "\u20e3"  # combining keycap
    "\U000e0020-\U000e007f"  # tag characters (subdivision flags)
    "]+"
)


def without_emoji(text: str) -> str:
    """``text`` with every emoji replaced by a space (so words on either side stay apart)."""
    return _EMOJI.sub(" ", text)


_MARKUP = re.compile(r"\[([^\]]+)\]\(/[^)]*/\)")


def without_markup(text: str) -> str:
    """``text`` with misaki's pronunciation markup ``[word](/phonemes/)`` reduced to the word, for a G2P that
    does not read it (espeak-ng would say the brackets' contents aloud)."""
    return _MARKUP.sub(r"\1", text)
