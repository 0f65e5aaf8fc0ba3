"""The message life cycle: allowed moves succeed, illegal ones raise and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tts_core import DeletionReason, InvalidTransition, Message, MessageStatus, QueueKind, StoredAudio

NOW = datetime(2026, 1, 1, tzinfo=UTC)
AUDIO = StoredAudio(ref="1.wav", size_bytes=1000, duration_seconds=1.0)

ACTIONS = {
    "start_synthesis": lambda m: m.start_synthesis(NOW, timedelta(seconds=60)),
    "release": lambda m: m.release(retry_at=None, counted=True),
    "audio_lost": lambda m: m.audio_lost(),
    "mark_ready": lambda m: m.mark_ready(AUDIO, NOW),
    "fail": lambda m: m.fail("boom"),
    "start_playing": lambda m: m.start_playing(NOW),
    "finish_playing": lambda m: m.finish_playing(NOW),
    "clear": lambda m: m.soft_delete(DeletionReason.CLEARED, NOW),
}

ALLOWED = {
    ("start_synthesis", MessageStatus.PENDING): MessageStatus.SYNTHESIZING,
    ("mark_ready", MessageStatus.SYNTHESIZING): MessageStatus.READY,
    ("release", MessageStatus.SYNTHESIZING): MessageStatus.PENDING,
    ("audio_lost", MessageStatus.READY): MessageStatus.PENDING,
    ("fail", MessageStatus.SYNTHESIZING): MessageStatus.ERROR,
    ("start_playing", MessageStatus.READY): MessageStatus.PLAYING,
    ("finish_playing", MessageStatus.PLAYING): MessageStatus.PLAYED,
    ("clear", MessageStatus.PENDING): MessageStatus.DELETED,
    ("clear", MessageStatus.SYNTHESIZING): MessageStatus.DELETED,
    ("clear", MessageStatus.READY): MessageStatus.DELETED,
}


def message_in(status: MessageStatus) -> Message:
    lease = NOW + timedelta(minutes=1) if status is MessageStatus.SYNTHESIZING else None
    return Message(
        id=7,
        queue=QueueKind.MENTIONS,
        sent_by="a",
        text="t",
        spoken_text="t",
        status=status,
        created_at=NOW,
        lease_until=lease,
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("status", list(MessageStatus))
def test_transition_table(action: str, status: MessageStatus) -> None:
    """Every (action, status) pair either moves to the expected status or raises without a change."""
    message = message_in(status)
    expected = ALLOWED.get((action, status))
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            ACTIONS[action](message)
        assert message.status is status
        assert raised.value.current == status.value
    else:
        ACTIONS[action](message)
        assert message.status is expected


def test_soft_delete_records_reason_and_time() -> None:
    """A cleared message keeps its row data plus the reason and the deletion time."""
    message = message_in(MessageStatus.READY)
    message.soft_delete(DeletionReason.EVICTED, NOW)
    assert (message.deletion_reason, message.deleted_at, message.text) == (DeletionReason.EVICTED, NOW, "t")


@pytest.mark.parametrize(
    ("status", "after"),
    [
        (MessageStatus.SYNTHESIZING, MessageStatus.PENDING),
        (MessageStatus.PLAYING, MessageStatus.READY),
        (MessageStatus.READY, MessageStatus.READY),
        (MessageStatus.PLAYED, MessageStatus.PLAYED),
    ],
)
def test_recover_after_crash(status: MessageStatus, after: MessageStatus) -> None:
    """Interrupted steps are undone; settled messages stay as they are."""
    message = message_in(status)
    changed = message.recover_after_crash()
    assert message.status is after
    assert changed is (status is not after)


def test_audio_bytes_count_only_while_the_file_exists() -> None:
    """Ready and playing messages hold their file's bytes; played ones hold none."""
    message = message_in(MessageStatus.SYNTHESIZING)
    message.mark_ready(AUDIO, NOW)
    assert message.audio_bytes == 1000
    message.start_playing(NOW)
    assert message.audio_bytes == 1000
    message.finish_playing(NOW)
    assert message.audio_bytes == 0
