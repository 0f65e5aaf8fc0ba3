"""``tts-server``: serve, migrate, and engine tools; errors are one line, never a traceback."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence

from entrypoints.cli_engine import add_engine_commands
from entrypoints.memory_tuning import tune_process_memory
from entrypoints.settings import Settings, SettingsError, load_settings, require_username
from tts_core.errors import TtsError

Handler = Callable[[argparse.Namespace, Settings], int]


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    from adapters.sql import create_sql_engine, upgrade_to_head

    engine = create_sql_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    print(f"database at head: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from adapters.sql import prepare_schema
    from entrypoints.container import build_container
    from entrypoints.http.app import create_app

    require_username(settings)
    tune_process_memory()  # before torch is imported and before any thread starts
    if settings.engine == "kokoro":
        # an unknown voice stops start-up here, with one line listing the voices that exist
        from adapters.kokoro import validate_voice_mix
        from entrypoints.engines import kokoro_config

        validate_voice_mix(kokoro_config(settings))
    container = build_container(settings)
    prepare_schema(container.sql_engine())  # SQLite: migrates; PostgreSQL: checks `tts-server migrate` ran
    app = create_app(container, start_worker=not args.no_worker)
    host, port = settings.host, settings.port
    worker = "no worker" if args.no_worker else f"engine: {settings.engine}"
    mode = settings.process_mode
    logging.getLogger(__name__).info("serving on http://%s:%s (%s, %s process)", host, port, worker, mode)
    signal.signal(signal.SIGTERM, _terminated)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), access_log=settings.access_log)
    return 0


def _worker(_: argparse.Namespace, settings: Settings) -> int:
    tune_process_memory()  # the worker loads the model too
    from entrypoints.worker_process import run_worker

    return run_worker(settings)


def _terminated(signum: int, _: object) -> None:
    """SIGTERM is how a service manager asks to stop: a clean exit (code 0), not a death by signal.

    Uvicorn shuts down gracefully on SIGTERM (the worker finishes its message), then raises the signal again
    for the handler it found: this one.
    """
    raise SystemExit(0)


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """``serve --host/--port`` as settings, so they are checked like ``TTS_HOST``/``TTS_PORT`` (a token for a
    non-loopback host) and the app knows where it is served."""
    given = {"host": getattr(args, "host", None), "port": getattr(args, "port", None)}
    return {name: value for name, value in given.items() if value is not None}


def _among_many(args: argparse.Namespace, settings: Settings) -> Settings:
    """``worker`` and ``serve --no-worker`` run beside other processes: ``TTS_PROCESSES=auto`` means ``many``."""
    beside_others = args.command == "worker" or getattr(args, "no_worker", False)
    if settings.processes == "auto" and beside_others:
        return settings.model_copy(update={"processes": "many"})
    return settings


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="tts-server", description="Local TTS queue server for Twitch streamers")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the HTTP server and the worker (on SQLite it migrates the database first; on PostgreSQL run "
        "`tts-server migrate` once before)",
    )
    serve.add_argument("--host", help="override TTS_HOST")
    serve.add_argument("--port", type=int, help="override TTS_PORT")
    serve.add_argument(
        "--no-worker", action="store_true", help="no synthesis here: `tts-server worker` processes do it"
    )
    serve.set_defaults(handler=_serve)
    worker = commands.add_parser(
        "worker", help="synthesis only: take messages from the shared database, write audio to the shared store"
    )
    worker.set_defaults(handler=_worker)
    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(handler=_migrate)
    add_engine_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; exit code 2 with one line on stderr for bad settings or input."""
    args = build_parser().parse_args(argv)
    try:
        settings = _among_many(args, load_settings(**_overrides(args)))
    except SettingsError as error:
        return _invalid(error)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.log_level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin set-up lines are noise
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except SettingsError as error:
        return _invalid(error)
    except TtsError as error:
        print(f"tts-server: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _invalid(error: SettingsError) -> int:
    print(f"tts-server: invalid settings:\n{error}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
