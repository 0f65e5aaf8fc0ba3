"""The queue invariants hold after every step of random add/synthesize/play/clear/reconcile runs under faults,
on SQLite and on PostgreSQL (both migrated with Alembic) and real files."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tests.integration.conftest import fresh_postgres_database
from tests.queue_machine import Backend, QueueMachine
from tests.support.pg_server import PostgresServer
from tts_core.ports import EventSink

SETTINGS = settings(
    max_examples=20,
    stateful_step_count=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
Database = Callable[[Path], tuple[str, Callable[[], None]]]
"""Makes a fresh migrated database for one run: its URL and how to drop it (given a scratch directory)."""


def _machine_on(database: Database) -> type[QueueMachine]:
    class SqlQueueMachine(QueueMachine):
        """The machine on SqlModelStorage over a fresh database and FilesystemAudioStore over a fresh directory."""

        def open_backend(self, events: EventSink) -> Backend:
            root = Path(tempfile.mkdtemp(prefix="tts-invariants-"))
            url, drop = database(root)
            engine = create_sql_engine(url)
            upgrade_to_head(engine)
            audio_dir = root / "audio"
            audio = FilesystemAudioStore(audio_dir)

            def close() -> None:
                engine.dispose()
                drop()
                shutil.rmtree(root, ignore_errors=True)

            return Backend(
                storage=SqlModelStorage(engine, events=events),
                audio=audio,
                files=lambda: {p.name for p in audio_dir.iterdir()},
                close=close,
            )

    return SqlQueueMachine


def test_queue_invariants_hold_on_sqlite_and_files() -> None:
    """Counters, the mentions budget, files, leases and event order hold after every step; every message ends."""
    run_state_machine_as_test(
        _machine_on(lambda root: (f"sqlite:///{root / 'tts.db'}", lambda: None)), settings=SETTINGS
    )


@pytest.mark.postgres
def test_queue_invariants_hold_on_postgres_and_files(
    postgres_server: PostgresServer, migrated_postgres_template: str
) -> None:
    """The same invariants hold on PostgreSQL, each run on a fresh copy of the migrated database."""
    machine = _machine_on(lambda _root: fresh_postgres_database(postgres_server, migrated_postgres_template))
    run_state_machine_as_test(machine, settings=SETTINGS)
