"""Voice mixing with small fake packs: Σ wᵢ·voiceᵢ, bit for bit, cached per mix string."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from adapters.kokoro import KokoroConfig
from adapters.kokoro.voices import VoiceBank, mix_packs
from tests.kokoro_support import weighted_sum, write_fake_model_dir
from tts_core.errors import InvalidVoiceMix, SynthesisFailed
from tts_core.voice_mix import parse_voice_mix


def _pack(seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(4, 1, 256, generator=generator)


@pytest.fixture
def bank(tmp_path: Path) -> VoiceBank:
    directory = write_fake_model_dir(tmp_path, {"am_adam": _pack(1), "am_michael": _pack(2), "af_heart": _pack(3)})
    config = KokoroConfig(voice="am_adam", model_dir=directory, voice_map={"jared": "am_adam", "martha": "af_heart"})
    return VoiceBank(config, device="cpu", capacity=2)


def test_mix_is_the_weighted_sum_to_the_last_element(bank: VoiceBank) -> None:
    """A three-voice mix equals 0.5·adam + 0.3·michael + 0.2·heart exactly."""
    mixed = bank.mixed(parse_voice_mix("am_adam50_am_michael30_af_heart20"))
    expected = weighted_sum([(_pack(1), 0.5), (_pack(2), 0.3), (_pack(3), 0.2)])
    assert mixed.shape == (4, 1, 256)
    assert mixed.dtype == torch.float32
    assert torch.equal(mixed, expected)


def test_single_voice_is_its_own_pack(bank: VoiceBank) -> None:
    """A voice at 100% is that voice's pack unchanged."""
    assert torch.equal(bank.mixed(parse_voice_mix("af_heart")), _pack(3))


def test_friendly_names_are_mapped_before_mixing(bank: VoiceBank) -> None:
    """jared50_martha50 mixes the packs the voice map names."""
    mix = parse_voice_mix("jared50_martha50").mapped(bank.config.voice_map)
    assert torch.equal(bank.mixed(mix), weighted_sum([(_pack(1), 0.5), (_pack(3), 0.5)]))


def test_mixes_are_cached_per_mix_string_and_least_recent_goes_first(bank: VoiceBank) -> None:
    """The same mix string gives the same tensor object; the cache keeps ``capacity`` mixes."""
    first = bank.mixed(parse_voice_mix("am_adam50_af_heart50"))
    assert bank.mixed(parse_voice_mix("am_adam50_af_heart50")) is first
    bank.mixed(parse_voice_mix("am_michael50_af_heart50"))
    bank.mixed(parse_voice_mix("am_adam50_af_heart50"))  # used again: now the most recent
    bank.mixed(parse_voice_mix("af_heart"))
    assert bank.mixed(parse_voice_mix("am_adam50_af_heart50")) is first


def test_unknown_voice_is_an_invalid_mix_listing_the_voices(bank: VoiceBank) -> None:
    """A voice without a pack raises InvalidVoiceMix naming it and the voices that exist."""
    with pytest.raises(InvalidVoiceMix, match=r"'lex'.*af_heart, am_adam, am_michael"):
        bank.mixed(parse_voice_mix("am_adam50_lex50"))


def test_a_file_that_is_not_a_voice_pack_fails_clearly(tmp_path: Path) -> None:
    """A voice file holding the wrong shape raises SynthesisFailed naming the file."""
    directory = write_fake_model_dir(tmp_path, {"af_odd": torch.zeros(3, 3)})
    bank = VoiceBank(KokoroConfig(voice="af_odd", model_dir=directory), device="cpu")
    with pytest.raises(SynthesisFailed, match=r"af_odd\.pt is not a Kokoro voice pack"):
        bank.base("af_odd")


def test_mix_packs_needs_a_voice() -> None:
    """An empty mix is a programming error."""
    with pytest.raises(ValueError, match="at least one voice"):
        mix_packs([])
