"""``tts-server worker`` and ``serve --no-worker``: who they run beside, and a clear line on a database not migrated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from entrypoints.cli import _among_many, build_parser, main
from entrypoints.settings import load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No TTS_* variable from the outside, and no stray .env file."""
    for name in list(os.environ):
        if name.startswith("TTS_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_worker_refuses_a_database_that_is_not_migrated(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One line saying to run ``tts-server migrate``, exit code 2, no traceback."""
    monkeypatch.setenv("TTS_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    monkeypatch.setenv("TTS_ENGINE", "tone")
    assert main(["worker"]) == 2
    error = capsys.readouterr().err
    assert "run `tts-server migrate`" in error
    assert "Traceback" not in error


@pytest.mark.parametrize(
    ("argv", "processes", "database", "many"),
    [
        (["serve"], "auto", "sqlite:///x.db", False),
        (["serve"], "auto", "postgresql+psycopg://db/tts", True),
        (["serve", "--no-worker"], "auto", "sqlite:///x.db", True),
        (["worker"], "auto", "sqlite:///x.db", True),
        (["serve"], "many", "sqlite:///x.db", True),
        (["worker"], "single", "postgresql+psycopg://db/tts", False),
    ],
)
def test_who_shares_the_database(argv: list[str], processes: str, database: str, many: bool) -> None:
    """``auto`` is ``many`` beside other processes (worker, --no-worker, PostgreSQL); an explicit value wins."""
    args = build_parser().parse_args(argv)
    settings = _among_many(args, load_settings(processes=processes, database_url=database))
    assert settings.many_processes is many
