"""The server on PostgreSQL: `tts-server migrate` once, `serve` refuses an unmigrated database with one line,
and the app (health, a message spoken end to end) works on it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.sql import SchemaNotCurrent, check_at_head, create_sql_engine
from entrypoints.cli import main
from tests.integration.conftest import settled, wait_until
from tests.support.pg_server import PostgresServer

pytestmark = pytest.mark.postgres
_numbers = itertools.count(1)


@pytest.fixture
def empty_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new database with no tables at all."""
    name = f"empty_{os.getpid()}_{next(_numbers)}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Point the command line at a database (no other TTS_* variable from outside, tone engine)."""
    for name in list(os.environ):
        if name.startswith("TTS_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def use(url: str) -> None:
        monkeypatch.setenv("TTS_USERNAME", "streamer")
        monkeypatch.setenv("TTS_ENGINE", "tone")
        monkeypatch.setenv("TTS_DATABASE_URL", url)

    return use


def test_serve_refuses_an_unmigrated_database_with_one_line(
    empty_database: str, cli_env: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """serve on a PostgreSQL database that was never migrated exits 2 saying to run migrate; it creates nothing."""
    cli_env(empty_database)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "run `tts-server migrate`" in err
    assert "Traceback" not in err
    engine = create_sql_engine(empty_database)
    try:
        with pytest.raises(SchemaNotCurrent):
            check_at_head(engine)
    finally:
        engine.dispose()


def test_migrate_brings_the_database_to_head_once(
    empty_database: str, cli_env: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """migrate creates the schema; a second run changes nothing; the printed URL shows no password."""
    cli_env(empty_database.replace("postgres@", "postgres:secret@"))  # trust auth ignores the password
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "secret" not in out
    engine = create_sql_engine(empty_database)
    try:
        check_at_head(engine)
    finally:
        engine.dispose()


def test_an_unreachable_database_is_one_line(
    postgres_server: PostgresServer, cli_env: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """migrate against a database that does not exist exits 2 with one line naming a database error."""
    cli_env(postgres_server.url("no_such_database"))
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tts-server: database error:")
    assert err.count("\n") == 1


def test_the_app_speaks_and_reports_health_on_postgres(running_app: Callable[..., Any], postgres_url: str) -> None:
    """On PostgreSQL a mention is synthesized and served, and /health reports the database as ok."""
    with running_app(database_url=postgres_url) as client:
        health = client.get("/health")
        assert health.status_code == 200, health.text
        assert health.json()["database"] == {"ok": True}
        added = client.post("/api/tts/add_message", json={"sent_by": "viewer", "text": "@streamer hello there"})
        assert added.status_code == 201, added.text
        wait_until(lambda: settled(client))
        message = client.get(f"/api/tts/messages/{added.json()['id']}").json()
        assert message["status"] == "ready"
        audio = client.get(message["audio_url"])
        assert audio.status_code == 200
        assert audio.content[:4] == b"RIFF"
