"""The voice settings of a unit of work, run against the in-memory fake, real SQLite and real PostgreSQL (after
migrations)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.memory import InMemoryStorage
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tts_core.model import QueueKind
from tts_core.ports import Storage
from tts_core.pronunciation import Pronunciation


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'voices.db'}"
    engine = create_sql_engine(url)
    upgrade_to_head(engine)
    yield SqlModelStorage(engine)
    engine.dispose()


def test_user_voices_are_stored_replaced_listed_and_deleted(storage: Storage) -> None:
    """A voice per login: set, replaced, listed in login order, deleted once."""
    with storage.unit_of_work() as uow:
        assert uow.user_voices() == {}
        uow.set_user_voice("zed", "af_heart")
        uow.set_user_voice("amy", "am_adam")
        uow.set_user_voice("zed", "af_heart60_am_adam40")
    with storage.unit_of_work() as uow:
        assert list(uow.user_voices().items()) == [("amy", "am_adam"), ("zed", "af_heart60_am_adam40")]
        assert uow.user_voice("zed") == "af_heart60_am_adam40"
        assert uow.user_voice("nobody") is None
        assert uow.voices_of(["zed", "nobody", "amy", "zed"]) == {"zed": "af_heart60_am_adam40", "amy": "am_adam"}
        assert uow.voices_of([]) == {}
        assert uow.delete_user_voice("amy") is True
        assert uow.delete_user_voice("amy") is False
    with storage.unit_of_work() as uow:
        assert uow.user_voices() == {"zed": "af_heart60_am_adam40"}


def test_pronunciations_are_stored_replaced_listed_and_deleted(storage: Storage) -> None:
    """Entries keep their respelling or phonemes; a word's new entry replaces the old one."""
    gg = Pronunciation(word="gg", say="good game")
    kokoro = Pronunciation(word="kokoro", phonemes="kˈOkəɹO")
    with storage.unit_of_work() as uow:
        uow.set_pronunciation(kokoro)
        uow.set_pronunciation(Pronunciation(word="gg", phonemes="ɡˈʊd ɡˈAm"))
        uow.set_pronunciation(gg)
    with storage.unit_of_work() as uow:
        assert uow.pronunciations() == [gg, kokoro]
        assert uow.delete_pronunciation("gg") is True
        assert uow.delete_pronunciation("gg") is False
    with storage.unit_of_work() as uow:
        assert uow.pronunciations() == [kokoro]


def test_queue_volumes_default_to_full_and_persist(storage: Storage) -> None:
    """Each queue plays at 1.0 until set; a set volume is read back."""
    with storage.unit_of_work() as uow:
        assert uow.queue_volumes() == {QueueKind.MENTIONS: 1.0, QueueKind.BITS: 1.0}
        uow.set_queue_volume(QueueKind.MENTIONS, 0.4)
    with storage.unit_of_work() as uow:
        uow.set_queue_volume(QueueKind.MENTIONS, 0.3)
    with storage.unit_of_work() as uow:
        assert uow.queue_volumes() == {QueueKind.MENTIONS: 0.3, QueueKind.BITS: 1.0}


def test_a_unit_that_raises_changes_no_setting(storage: Storage) -> None:
    """Voice settings commit and roll back with the rest of the unit of work."""
    with pytest.raises(RuntimeError), storage.unit_of_work() as uow:
        uow.set_user_voice("amy", "am_adam")
        uow.set_pronunciation(Pronunciation(word="gg", say="good game"))
        uow.set_queue_volume(QueueKind.BITS, 0.1)
        raise RuntimeError("boom")
    with storage.unit_of_work() as uow:
        assert (uow.user_voices(), uow.pronunciations(), uow.queue_volumes()[QueueKind.BITS]) == ({}, [], 1.0)


def test_a_messages_engine_text_round_trips(storage: Storage) -> None:
    """The engine text (phoneme markup) a message was queued with is kept with it."""
    from datetime import UTC, datetime

    from tts_core.model import Message

    draft = Message(
        queue=QueueKind.MENTIONS,
        sent_by="viewer",
        text="@streamer kokoro",
        spoken_text="viewer says: kokoro",
        engine_text="viewer says: [kokoro](/kˈOkəɹO/)",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    with storage.unit_of_work() as uow:
        added = uow.add(draft)
    with storage.unit_of_work() as uow:
        assert uow.get(added.id or 0) == added
        assert added.engine_text == "viewer says: [kokoro](/kˈOkəɹO/)"
