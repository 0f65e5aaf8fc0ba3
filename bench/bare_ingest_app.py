"""The floor for ingest: a bare Litestar handler that inserts the same ``message`` row into SQLite, nothing else.

``python bench/bare_ingest_app.py --port P --db PATH`` serves ``POST /api/tts/add_message`` under the same uvicorn
settings as ``tts-server serve``; ``bench/ingest_vs_bare.py`` starts it beside our server.
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import uvicorn
from litestar import Litestar, Response, post

SCHEMA = """CREATE TABLE IF NOT EXISTS message (
    id INTEGER PRIMARY KEY, queue VARCHAR(16) NOT NULL, sent_by VARCHAR(100) NOT NULL, text TEXT NOT NULL,
    spoken_text TEXT NOT NULL, status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL,
    sender VARCHAR(100) NOT NULL DEFAULT '', twitch_message_id VARCHAR(64), is_moderator BOOLEAN NOT NULL DEFAULT 0)"""
INSERT = """INSERT INTO message (queue, sent_by, text, spoken_text, status, created_at, sender, twitch_message_id,
    is_moderator) VALUES ('mentions', ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id"""


class AddMessage(msgspec.Struct, kw_only=True):
    sent_by: str
    text: str
    message_type: str = "chat"
    twitch_message_id: str | None = None
    is_moderator: bool = False


class Queued(msgspec.Struct, kw_only=True):
    queued: bool
    id: int
    status: str
    sent_by: str
    text: str
    created_at: str


def create_app(database: Path) -> Litestar:
    """The bare app: one SQLite connection per worker thread (WAL, ``synchronous=NORMAL`` as our adapter sets)."""
    local = threading.local()

    def connection() -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(local, "db", None)
        if db is None:
            db = sqlite3.connect(database, isolation_level=None, timeout=5)
            db.execute("PRAGMA synchronous=NORMAL")
            local.db = db
        return db

    @post("/api/tts/add_message", sync_to_thread=True)
    def add_message(data: AddMessage) -> Response[Queued]:
        created = datetime.now(UTC).isoformat()
        db = connection()
        db.execute("BEGIN IMMEDIATE")
        row = db.execute(
            INSERT, (data.sent_by, data.text, data.text, created, data.sent_by.lower(), data.twitch_message_id, 0)
        ).fetchone()
        db.execute("COMMIT")
        body = Queued(
            queued=True, id=row[0], status="pending", sent_by=data.sent_by, text=data.text, created_at=created
        )
        return Response(body, status_code=201)

    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(SCHEMA)
    return Litestar(route_handlers=[add_message])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--access-log", action="store_true", help="as TTS_ACCESS_LOG=true (off, as our default)")
    args = parser.parse_args()
    app = create_app(args.db)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level=args.log_level, access_log=args.access_log)


if __name__ == "__main__":
    main()
