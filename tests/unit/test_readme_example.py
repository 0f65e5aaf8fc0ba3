"""The README's library example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def test_readme_library_example_runs() -> None:
    """The python block under 'Using tts_core as a library' executes without error."""
    section = README.read_text().split("## Using `tts_core` as a library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    exec(compile(code.group(1), "README.md", "exec"), {})


def test_readme_configuration_table_lists_every_setting() -> None:
    """Every TTS_* setting the server reads is in the README's configuration table, and nothing else is."""
    from entrypoints.settings import ENV_PREFIX, Settings

    table = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(TTS_[A-Z0-9_]+)`", table, re.MULTILINE))
    expected = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    assert documented == expected


def test_readme_intro_voice_example_names_only_existing_voices() -> None:
    """The intro's TTS_VOICE, mapped through its TTS_VOICE_MAP, names only Kokoro-82M voices and sums to 100."""
    import json

    from adapters.kokoro.catalog import KOKORO_82M_VOICES
    from tts_core.voice_mix import parse_voice_mix

    intro = README.read_text().split("## Prerequisites", 1)[0]
    block = re.search(r"```bash\n(.*?)```", intro, re.DOTALL)
    assert block is not None
    assigned = dict(re.findall(r"^(TTS_[A-Z_]+)=(.*)$", block.group(1), re.MULTILINE))
    voice_map = json.loads(assigned["TTS_VOICE_MAP"].strip("'"))
    mix = parse_voice_mix(assigned["TTS_VOICE"]).mapped(voice_map)
    assert {c.name for c in mix.components} <= KOKORO_82M_VOICES
    second = re.search(r"`TTS_VOICE=([a-z0-9_]+)` works without a map", intro)
    assert second is not None
    assert {c.name for c in parse_voice_mix(second.group(1)).components} <= KOKORO_82M_VOICES
