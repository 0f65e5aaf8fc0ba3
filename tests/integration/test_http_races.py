"""A request that loses a race to another process: 409, nothing of it written, the other change stands."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from tests.integration.conftest import wait_until
from tests.racing import RacingStorage
from tts_core.ports import Storage, UnitOfWork

API = "/api/tts"


def test_mark_played_that_loses_to_another_process_is_409_and_changes_nothing(
    running_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process reports the playback failed between this request's read and its save: the answer is 409
    naming the message, the message is ready again (the other report) and its file is still served."""
    with running_app() as client:
        created = client.post(f"{API}/add_message", json={"sent_by": "v", "text": "@streamer hello", "type": "chat"})
        message_id = created.json()["id"]
        wait_until(lambda: client.get(f"{API}/messages/{message_id}").json()["status"] == "ready")
        audio_url = client.post(f"{API}/play_next").json()["audio_url"]

        def failed_elsewhere(uow: UnitOfWork) -> None:
            message = uow.get(message_id)
            assert message is not None
            message.playback_failed()
            uow.save(message)

        # the services were built at start-up: race inside the storage instance they hold
        real = client.container.storage()
        inner = SimpleNamespace(unit_of_work=real.unit_of_work, reading=real.reading, healthy=real.healthy)
        racing = RacingStorage(cast(Storage, inner))
        racing.arm(failed_elsewhere)
        monkeypatch.setattr(real, "unit_of_work", racing.unit_of_work)
        answer = client.post(f"{API}/mark_played/{message_id}")
        monkeypatch.undo()
        assert answer.status_code == 409
        assert f"message {message_id}" in answer.json()["detail"]
        assert client.get(f"{API}/messages/{message_id}").json()["status"] == "ready"
        assert client.get(audio_url).status_code == 200
