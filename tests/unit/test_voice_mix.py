"""Voice-mix strings: weights read exactly, bad strings rejected with the parts that were read."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tts_core import InvalidVoiceMix, VoiceComponent, parse_voice_mix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jared50_lex30_martha20", [("jared", 50), ("lex", 30), ("martha", 20)]),
        ("am_adam50_am_michael50", [("am_adam", 50), ("am_michael", 50)]),
        ("af_heart", [("af_heart", 100)]),
        ("af_heart100", [("af_heart", 100)]),
        ("af_v0bella", [("af_v0bella", 100)]),
        ("  bf_emma60_bm_george40 ", [("bf_emma", 60), ("bm_george", 40)]),
    ],
)
def test_parses_weighted_names(text: str, expected: list[tuple[str, int]]) -> None:
    """Names (with underscores) and percentages are read in order."""
    mix = parse_voice_mix(text)
    assert [(c.name, c.percent) for c in mix.components] == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("jared60_lex30", "sum to 90"),
        ("jared50_lex60", "sum to 110"),
        ("", "empty"),
        ("jared0_lex100", "weight of 0"),
        ("jared50_jared50", "twice"),
        ("jared50 lex50", "cannot read"),
        ("50jared_lex50", "cannot read"),
    ],
)
def test_rejects_bad_mixes(text: str, mentions: str) -> None:
    """A bad mix raises InvalidVoiceMix saying what is wrong."""
    with pytest.raises(InvalidVoiceMix, match=mentions):
        parse_voice_mix(text)


def test_error_names_the_parts_read() -> None:
    """The error lists what was understood, so the streamer can fix the percentages."""
    with pytest.raises(InvalidVoiceMix) as raised:
        parse_voice_mix("jared50_lex30_martha10")
    assert "jared=50%, lex=30%, martha=10%" in str(raised.value)
    assert raised.value.field == "voice"


def test_mapping_replaces_friendly_names_only() -> None:
    """Mapped names become engine ids; unmapped names are used as they are."""
    mix = parse_voice_mix("jared50_af_heart50").mapped({"jared": "am_adam"})
    assert mix.components == (VoiceComponent(name="am_adam", percent=50), VoiceComponent(name="af_heart", percent=50))


names = st.from_regex(r"[a-z]{1,3}(_[a-z]{1,5})?", fullmatch=True)


@given(st.lists(names, min_size=1, max_size=5, unique=True), st.data())
def test_round_trip(voice_names: list[str], data: st.DataObject) -> None:
    """Any valid mix written back with str() parses to the same mix."""
    cuts = sorted(
        data.draw(
            st.lists(st.integers(1, 99), min_size=len(voice_names) - 1, max_size=len(voice_names) - 1, unique=True)
        )
    )
    bounds = [0, *cuts, 100]
    percents = [b - a for a, b in itertools.pairwise(bounds)]
    text = "_".join(f"{n}{p}" for n, p in zip(voice_names, percents, strict=True))
    mix = parse_voice_mix(text)
    assert [(c.name, c.percent) for c in mix.components] == list(zip(voice_names, percents, strict=True))
    assert parse_voice_mix(str(mix)) == mix
    assert sum(c.weight for c in mix.components) == pytest.approx(1.0)


@given(st.text(max_size=40))
def test_never_raises_anything_but_invalid_voice_mix(text: str) -> None:
    """Arbitrary input either parses to a mix summing to 100 or raises InvalidVoiceMix."""
    try:
        mix = parse_voice_mix(text)
    except InvalidVoiceMix:
        return
    assert sum(c.percent for c in mix.components) == 100
