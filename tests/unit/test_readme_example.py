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
