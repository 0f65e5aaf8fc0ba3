"""Ingest: a chat message from the App becomes a pending message, or a reason why not."""

from __future__ import annotations

import attrs

from tts_core.chat import Accepted, ChatRules, IncomingChat, MessageType, Rejected, screen_chat
from tts_core.errors import InvalidInput
from tts_core.events import MessageQueued, QueueChanged
from tts_core.model import Message
from tts_core.ports import Clock, Storage

MAX_TEXT_CHARS = 2000
"""Longest chat text accepted at all (Twitch allows 500); longer input is a client error."""
MAX_NAME_CHARS = 100


@attrs.frozen(kw_only=True)
class NotQueued:
    """The message was understood but is not read: ``reason`` is a code, ``detail`` a sentence."""

    reason: str
    detail: str


def validate(incoming: IncomingChat) -> None:
    """Raise :class:`InvalidInput` naming the field when the App sent something unusable."""
    if not incoming.sent_by.strip():
        raise InvalidInput("sent_by", "must not be empty")
    if len(incoming.sent_by) > MAX_NAME_CHARS:
        raise InvalidInput("sent_by", f"must be at most {MAX_NAME_CHARS} characters")
    if not incoming.text.strip():
        raise InvalidInput("text", "must not be empty")
    if len(incoming.text) > MAX_TEXT_CHARS:
        raise InvalidInput("text", f"must be at most {MAX_TEXT_CHARS} characters")
    if incoming.message_type is MessageType.BITS and (incoming.bits_amount is None or incoming.bits_amount < 1):
        raise InvalidInput("bits_amount", "a bits message needs bits_amount of at least 1")
    if incoming.bits_amount is not None and incoming.bits_amount < 0:
        raise InvalidInput("bits_amount", "must not be negative")


@attrs.define
class IngestService:
    """Accepts chat messages into the queues."""

    storage: Storage
    clock: Clock
    rules: ChatRules

    def add_message(self, incoming: IncomingChat) -> Message | NotQueued:
        """Queue ``incoming`` as pending, or say why it is not queued.

        Raises :class:`InvalidInput` for unusable input; nothing is stored then.
        """
        validate(incoming)
        decision = screen_chat(incoming, self.rules)
        if isinstance(decision, Rejected):
            return NotQueued(reason=decision.reason, detail=decision.detail)
        return self._store(incoming, decision)

    def _store(self, incoming: IncomingChat, decision: Accepted) -> Message:
        draft = Message(
            queue=decision.queue,
            sent_by=incoming.sent_by.strip(),
            text=incoming.text,
            spoken_text=decision.spoken_text,
            voice=decision.voice,
            bits_amount=incoming.bits_amount,
            created_at=self.clock.now(),
        )
        with self.storage.unit_of_work() as uow:
            message = uow.add(draft)
            uow.emit(MessageQueued(message=message))
            uow.emit(QueueChanged(counts=uow.counts(message.queue), active_queue=uow.state().active_queue))
        return message
