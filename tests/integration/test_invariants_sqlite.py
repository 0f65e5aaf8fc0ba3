"""The queue invariants hold after every step of random add/synthesize/play/clear/reconcile runs under faults,
on SQLite (migrated with Alembic) and real files."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tests.queue_machine import Backend, QueueMachine
from tts_core.ports import EventSink


class SqliteQueueMachine(QueueMachine):
    """The machine on SqlModelStorage over a fresh SQLite file and FilesystemAudioStore over a fresh directory."""

    def open_backend(self, events: EventSink) -> Backend:
        root = Path(tempfile.mkdtemp(prefix="tts-invariants-"))
        engine = create_sql_engine(f"sqlite:///{root / 'tts.db'}")
        upgrade_to_head(engine)
        audio_dir = root / "audio"
        audio = FilesystemAudioStore(audio_dir)

        def close() -> None:
            engine.dispose()
            shutil.rmtree(root, ignore_errors=True)

        return Backend(
            storage=SqlModelStorage(engine, events=events),
            audio=audio,
            files=lambda: {p.name for p in audio_dir.iterdir()},
            close=close,
        )


def test_queue_invariants_hold_on_sqlite_and_files() -> None:
    """Counters, the mentions budget, files, leases and event order hold after every step; every message ends."""
    run_state_machine_as_test(
        SqliteQueueMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=40,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
