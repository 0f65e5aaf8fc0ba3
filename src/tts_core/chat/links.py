"""Links: URLs, bare domains and e-mail addresses, replaced by a short word or removed."""

from __future__ import annotations

import re

# Common top-level domains only, so "e.g.", "lol.jk" or "v1.5" are not links. Two-letter TLDs that are
# also English words ("it", "is", "to", "in", "so", "no", "at", "us") are left out for the same reason.
_TLDS = (
    "com|net|org|tv|gg|io|co|me|ly|be|fm|xyz|app|dev|info|biz|uk|de|fr|ru|jp|cn|br|eu|ca|au|nl|es|pl|se"
    "|ch|link|live|stream|site|online|store|shop|page|club|top|ai|gl|gd|cc|ws|la|sh|gay|fun|games|art|blog"
    "|news|tk|ml|ga|cf|gq|edu|gov|mx|tw|kr|xxx"
)
_TRAILING = r"""[).,!?;:'"\]]"""
# Each pattern starts only where its first run can start (the lookbehinds), which keeps matching linear.
_URL = re.compile(rf"(?<![^\s(\[<\"'])[^\s(\[<\"']*://\S*?(?={_TRAILING}*(?:\s|$))")
_WWW = re.compile(rf"(?<![\w.-])www\.\S+?(?={_TRAILING}*(?:\s|$))", flags=re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(
    rf"(?<![\w.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![\w-])(?::\d+)?(?:/\S*?(?={_TRAILING}*(?:\s|$)))?",
    flags=re.IGNORECASE,
)


def replace_links(text: str, *, word: str) -> str:
    """``text`` with every link replaced by ``word``: URLs, ``www.`` addresses, e-mail addresses, bare domains.

    Bare domains are ``twitch.tv/x``, ``bit.ly/y``: a common top-level domain. An empty ``word`` removes links.
    Anything holding ``://`` is a link, so none is left in the result.
    """
    for pattern in (_URL, _WWW, _EMAIL, _DOMAIN):
        text = pattern.sub(lambda _: word, text)
    return text
