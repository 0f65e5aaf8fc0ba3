"""Schemathesis against the served OpenAPI schema: no 5xx, and every answer is one the schema documents.

Requests go to a real uvicorn on loopback (tone engine, real SQLite). Generation is derandomized with a fixed seed,
so a CI failure reproduces locally; each failure prints the ``curl`` that reproduces it.
"""

from __future__ import annotations

import copy
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case, Response

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.integration.live import LiveServer, live_server

EXAMPLES_PER_OPERATION = 150
"""Operations without parameters are exhausted after a few requests; the others get this many fuzzed ones."""
MIN_REQUESTS = 1000
STATEFUL_SCENARIOS = 25
SEED = 20261201

CONFIG = {
    "seed": SEED,
    "generation": {
        "mode": "all",  # valid requests, and requests that break the schema (wrong types, huge numbers, ...)
        "max-examples": EXAMPLES_PER_OPERATION,
        "deterministic": True,
        "database": "none",
    },
    # The schema cannot say everything the core checks (a bits message needs bits_amount, text must not be blank),
    # so a schema-valid request may still get a documented 400: that is the contract, not a failure.
    "checks": {"positive_data_acceptance": {"enabled": False}},
}


def _served_schema() -> dict[str, Any]:
    """The schema the app serves at ``/schema/openapi.json``, built without starting the app (collection needs
    it before any fixture runs; ``served`` checks the running server serves the same)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(username="streamer", engine="tone", database_url="sqlite://", audio_dir=Path(scratch))
        app = create_app(build_container(settings))
        served: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(app.openapi_schema.to_schema()))
        return served


OPENAPI = _served_schema()
OPERATIONS = {f"{method.upper()} {path}" for path, operations in OPENAPI["paths"].items() for method in operations}
schema = schemathesis.openapi.from_dict(OPENAPI, config=schemathesis.Config.from_dict(CONFIG))


def _chainable(served: dict[str, Any]) -> dict[str, Any]:
    """The schema for the sequences: ``add_message`` without its optional ``twitch_message_id``.

    Schemathesis' dependency analysis takes every ``*_id`` body field for a reference to a resource, and as no
    answer produces a "TwitchMessage" it never starts a sequence with ``add_message``. The field itself is
    fuzzed by :func:`test_operation` like every other.
    """
    chainable = copy.deepcopy(served)
    del chainable["components"]["schemas"]["AddMessageBody"]["properties"]["twitch_message_id"]
    return chainable


sequences = schemathesis.openapi.from_dict(_chainable(OPENAPI), config=schemathesis.Config.from_dict(CONFIG))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("fuzz")) as server:
        assert server.http.get("/schema/openapi.json").json() == OPENAPI
        yield server


@pytest.fixture(scope="module")
def sent(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    """Requests sent per operation. When every operation's test ran, each got requests and there were enough."""
    counts: Counter[str] = Counter()
    yield counts
    fuzzed = [item for item in request.session.items if item.name.startswith(test_operation.__name__)]
    if len(fuzzed) == len(OPERATIONS):
        assert set(counts) >= OPERATIONS, f"operations never called: {OPERATIONS - set(counts)}"
        fuzzing = sum(n for label, n in counts.items() if label in OPERATIONS)
        assert fuzzing >= MIN_REQUESTS, counts


@pytest.mark.slow
@schema.parametrize()
def test_operation(case: Case[Any], served: LiveServer, sent: Counter[str]) -> None:
    """No generated request gets a 5xx; status codes, content types and bodies are the documented ones."""
    sent[case.operation.label] += 1
    case.call_and_validate(base_url=served.base_url)


@pytest.mark.slow
def test_sequences_of_calls(served: LiveServer, sent: Counter[str]) -> None:
    """Chains that reuse answers (add a message, then read or mark it played by its id) never get a 5xx either."""

    class Calls(sequences.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            return {"base_url": served.base_url}

        def after_call(self, response: Response, case: Case[Any]) -> None:
            sent[f"stateful {case.operation.label}"] += 1

    Calls.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert sent["stateful POST /api/tts/add_message"] > 0
