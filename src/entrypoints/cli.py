"""``tts-server``: serve, migrate, and engine tools; errors are one line, never a traceback."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from entrypoints.settings import Settings, SettingsError, load_settings
from tts_core.errors import TtsError

Handler = Callable[[argparse.Namespace, Settings], int]


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    from adapters.sql import create_sql_engine, upgrade_to_head

    upgrade_to_head(create_sql_engine(settings.database_url))
    print(f"database at head: {settings.database_url}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from adapters.sql import upgrade_to_head
    from entrypoints.container import build_container
    from entrypoints.http.app import create_app

    container = build_container(settings)
    upgrade_to_head(container.sql_engine())
    app = create_app(container)
    host = args.host or settings.host
    port = args.port or settings.port
    logging.getLogger(__name__).info("serving on http://%s:%s (engine: %s)", host, port, settings.engine)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="tts-server", description="Local TTS queue server for Twitch streamers")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database, then run the HTTP server and the worker")
    serve.add_argument("--host", help="override TTS_HOST")
    serve.add_argument("--port", type=int, help="override TTS_PORT")
    serve.set_defaults(handler=_serve)
    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(handler=_migrate)
    try:
        from entrypoints.cli_engine import add_engine_commands
    except ImportError:  # the engine commands are optional until their module exists
        pass
    else:
        add_engine_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; exit code 2 with one line on stderr for bad settings or input."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"tts-server: invalid settings:\n{error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except TtsError as error:
        print(f"tts-server: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
