"""What each Twitch chat event does to the queues: the same services as the HTTP API and the moderators' calls."""

from __future__ import annotations

import logging

import attrs

from adapters.twitch_irc import ChatCleared, ChatEvent, ChatReceived, MessageDeleted, UserCleared
from tts_core.errors import InvalidInput
from tts_core.services import IngestService, ModerationService, NotQueued

log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class ChatDispatcher:
    """Hands chat events to the services; synchronous (the reader calls it in a worker thread)."""

    ingest: IngestService
    moderation: ModerationService

    def handle(self, event: ChatEvent) -> None:
        """Carry out ``event``. Input the services refuse is logged and dropped; storage errors propagate."""
        try:
            self._handle(event)
        except InvalidInput as error:
            log.warning("Twitch chat: %s not taken: %s: %s", type(event).__name__, error.field, error.message)

    def _handle(self, event: ChatEvent) -> None:
        match event:
            case ChatReceived(incoming=incoming):
                outcome = self.ingest.add_message(incoming)
                if isinstance(outcome, NotQueued):
                    log.debug("Twitch chat: message from %s not queued: %s", incoming.sent_by, outcome.reason)
            case MessageDeleted(twitch_message_id=twitch_id):
                removed = self.moderation.delete_message(twitch_message_id=twitch_id)
                log.info("Twitch chat: a moderator deleted a message; removed %d", len(removed))
            case UserCleared(login=login, duration_seconds=seconds):
                purged = self.moderation.purge_user(login, seconds)
                what = "banned" if seconds is None else f"timed out for {seconds} s"
                log.info("Twitch chat: a sender was %s; removed %d messages", what, len(purged.removed))
            case ChatCleared():
                removed = self.moderation.clear_chat()
                log.info("Twitch chat: chat cleared; removed %d mentions", len(removed))
