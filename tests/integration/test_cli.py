"""The tts-server command line: clear one-line errors for bad settings, and migrate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from adapters.sql.migrate import MIGRATIONS_DIR
from entrypoints.cli import main


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No TTS_* variable from the outside, and no stray .env file."""
    import os

    for name in list(os.environ):
        if name.startswith("TTS_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TTS_USERNAME": "streamer", "TTS_PORT": "eighty"}, "TTS_PORT"),
        ({"TTS_USERNAME": "streamer", "TTS_PORT": "70000"}, "TTS_PORT"),
        ({"TTS_USERNAME": "streamer", "TTS_VOICE": "jared60_lex30"}, "TTS_VOICE"),
        ({"TTS_USERNAME": "streamer", "TTS_VOICE_MAP": "{not json"}, "TTS_VOICE_MAP"),
        ({"TTS_USERNAME": "streamer", "TTS_ENGINE": "espeak"}, "TTS_ENGINE"),
        ({"TTS_USERNAME": "streamer", "TTS_MENTIONS_AUDIO_BUDGET_MB": "-5"}, "TTS_MENTIONS_AUDIO_BUDGET_MB"),
        ({"TTS_USERNAME": "not a login!"}, "TTS_USERNAME"),
    ],
)
def test_bad_settings_stop_with_a_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], expected: str
) -> None:
    """Exit code 2, the variable named on stderr, no traceback."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_settings_come_from_a_dot_env_file(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A .env file in the working directory is read."""
    (clean_env / ".env").write_text(f"TTS_USERNAME=streamer\nTTS_DATABASE_URL=sqlite:///{clean_env / 'env.db'}\n")
    assert main(["migrate"]) == 0
    assert (clean_env / "env.db").exists()


def test_migrate_creates_the_schema(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """migrate brings a new database to head; running it again is harmless."""
    database = clean_env / "sub" / "tts.db"
    monkeypatch.setenv("TTS_USERNAME", "streamer")
    monkeypatch.setenv("TTS_DATABASE_URL", f"sqlite:///{database}")
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type='table'")}
        version = connection.execute("select version_num from alembic_version").fetchone()[0]
    assert {"message", "queue_counter", "server_state", "mute", "remembered_deletion"} <= tables
    assert version == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TTS_MESSAGE_TEMPLATE", "{name} says {text}"),
        ("TTS_BITS_TEMPLATE", "{user} gave {amount}"),
        ("TTS_USER_VOICES", '{"vip": "jared60"}'),
        ("TTS_BANNED_WORD_ACTION", "shout"),
        ("TTS_MAX_CHARS", "0"),
    ],
)
def test_bad_chat_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str
) -> None:
    """Chat pipeline settings are checked at start-up too."""
    monkeypatch.setenv("TTS_USERNAME", "streamer")
    monkeypatch.setenv(variable, value)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert variable in err
    assert "Traceback" not in err


def test_serve_without_username_stops_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """serve needs TTS_USERNAME: exit 2 and one line saying what it is for."""
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "tts-server: invalid settings:\nTTS_USERNAME is not set (your Twitch login, used to find @mentions)\n"
    )


def test_say_voices_and_migrate_need_no_username(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without TTS_USERNAME, say writes a WAV (tone engine), voices explains the tone engine has none, migrate runs."""
    monkeypatch.setenv("TTS_ENGINE", "tone")
    monkeypatch.setenv("TTS_DATABASE_URL", f"sqlite:///{clean_env / 'tts.db'}")
    out = clean_env / "hello.wav"
    assert main(["say", "hello chat", "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"RIFF"
    assert f"{out}: " in capsys.readouterr().out
    assert main(["voices"]) == 0
    listed = capsys.readouterr()
    assert listed.out == ""
    assert "TTS_ENGINE=tone" in listed.err
    assert "no voices" in listed.err
    assert main(["migrate"]) == 0


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({"TTS_HOST": "0.0.0.0"}, ["serve"]),
        ({"TTS_HOST": "192.168.1.5", "TTS_API_TOKEN": " "}, ["serve"]),
        ({}, ["serve", "--host", "0.0.0.0"]),
    ],
)
def test_listening_beyond_loopback_without_a_token_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], argv: list[str]
) -> None:
    """A non-loopback TTS_HOST (or --host) without TTS_API_TOKEN stops start-up with one line naming it."""
    monkeypatch.setenv("TTS_USERNAME", "streamer")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "tts-server: invalid settings:"
    assert len(lines) == 2
    assert lines[1].startswith("TTS_API_TOKEN is not set")


def test_token_and_allowed_lists_are_checked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad TTS_ALLOWED_ORIGINS entry is named; a token never shows in an error."""
    monkeypatch.setenv("TTS_USERNAME", "streamer")
    monkeypatch.setenv("TTS_API_TOKEN", "do-not-print-me")
    monkeypatch.setenv("TTS_ALLOWED_ORIGINS", "https://ok.example, null")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "TTS_ALLOWED_ORIGINS" in err
    assert "do-not-print-me" not in err
