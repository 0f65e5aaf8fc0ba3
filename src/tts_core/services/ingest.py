"""Ingest: a chat message from the App becomes a pending message, or a reason why not."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs

from tts_core.chat import Accepted, ChatRules, IncomingChat, MessageType, Rejected, screen_chat, voice_command
from tts_core.chat.rules import login
from tts_core.chat.voice_command import VoiceChoice
from tts_core.chat_commands import ChatCommand, parse_chat_command
from tts_core.errors import InvalidInput
from tts_core.events import MessageQueued, MessageRejected, UserVoiceChanged
from tts_core.model import WAITING_STATUSES, Message, QueueKind
from tts_core.moderation import MAX_TWITCH_ID_CHARS, AntiSpamRules, Mute, check_spam, muted_detail, sender_key
from tts_core.not_read import NotRead, NotReadLog
from tts_core.ports import Clock, Storage, UnitOfWork
from tts_core.pronunciation import PronunciationBook
from tts_core.services.announce import announce, announce_counts
from tts_core.services.moderation import ModerationService

_LOGIN = re.compile(r"[a-z0-9_]{1,25}")
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
    if incoming.twitch_message_id is not None and not incoming.twitch_message_id.strip():
        raise InvalidInput("twitch_message_id", "must not be empty (leave it out instead)")
    if incoming.twitch_message_id is not None and len(incoming.twitch_message_id.strip()) > MAX_TWITCH_ID_CHARS:
        raise InvalidInput("twitch_message_id", f"must be at most {MAX_TWITCH_ID_CHARS} characters")


@attrs.define
class _Senders:
    """The stored voices and mutes of the senders of one unit's messages, read once for all of them."""

    voices: dict[str, str]
    """Login → voice; a ``!voice`` command in the batch updates it for the messages after it."""
    mutes: dict[str, Mute]
    """Sender key → mute (a mute changes only through a moderator's command, which ends the unit)."""


@attrs.define
class IngestService:
    """Accepts chat messages into the queues.

    The sender's voice and the pronunciation dictionary are read in the unit of work that queues the message:
    a change applies to every message queued after it, and the message keeps what it needs (its voice and
    ``engine_text``), so a later change does not alter it.
    """

    storage: Storage
    clock: Clock
    rules: ChatRules
    antispam: AntiSpamRules = attrs.field(factory=AntiSpamRules)
    moderation: ModerationService | None = None
    """Carries out moderators' ``!tts`` commands; without it they are ignored like any ``!command``."""
    viewer_voices: Mapping[str, str] = attrs.field(factory=dict)
    """The choices of ``!voice`` (``TTS_VIEWER_VOICES``): name → mix. Empty: ``!voice`` is an ordinary command."""
    not_read: NotReadLog | None = None
    """Where messages that were not queued are kept, with why (each also published as ``message_rejected``)."""

    def add_message(self, incoming: IncomingChat) -> Message | NotQueued:
        """Queue ``incoming`` (see :meth:`_add`); a message not queued is kept in the not-read log and announced.

        Raises :class:`InvalidInput` for unusable input; nothing is stored then."""
        result = self.add_messages([incoming])[0]
        if isinstance(result, InvalidInput):
            raise result
        return result

    def add_messages(self, batch: Sequence[IncomingChat]) -> list[Message | NotQueued | InvalidInput]:
        """Each of ``batch`` in order, as :meth:`add_message` would take it, with one unit of work for all of them.

        The answer for each is its result, or the :class:`InvalidInput` that says why it is unusable (then nothing
        is stored for it). One commit, one ``seq`` update and one ``queue_changed`` per touched queue serve the
        whole batch, which is what lets a busy chat be taken in at the database's pace. A moderator's ``!tts``
        command ends the batch's unit of work first, so it acts on everything queued before it and nothing after.
        A storage failure fails the whole batch (:class:`StorageError`): nothing of it was queued.
        """
        results: list[Message | NotQueued | InvalidInput] = []
        decided: list[NotRead] = []
        commands = [self._moderator_command(chat) for chat in batch]
        i = 0
        while i < len(batch):
            command = commands[i]
            if command is not None:
                results.append(self._run_command(batch[i], command))
                i += 1
                continue
            end = i
            while end < len(batch) and commands[end] is None:
                end += 1
            with self.storage.unit_of_work() as uow:
                book = PronunciationBook(tuple(uow.pronunciations()))
                senders = _Senders(
                    voices=uow.voices_of({login(chat.sent_by) for chat in batch[i:end]}),
                    mutes=uow.mutes_of({sender_key(chat.sent_by) for chat in batch[i:end]}),
                )
                touched: set[QueueKind] = set()
                while i < end:
                    result = self._add(uow, batch[i], book, senders)
                    results.append(result)
                    if isinstance(result, Message):
                        touched.add(result.queue)
                    elif isinstance(result, NotQueued) and self.not_read is not None:
                        decided.append(self._not_read(batch[i], result))
                        uow.emit(MessageRejected(not_read=decided[-1]))
                    i += 1
                for queue in sorted(touched):
                    announce_counts(uow, queue)
            self._remember(decided)
            decided = []
        return results

    def _remember(self, decided: list[NotRead]) -> None:
        # after the commit: the log shows what was decided, never a batch that then failed
        if self.not_read is not None:
            for item in decided:
                self.not_read.record(item)

    def _not_read(self, incoming: IncomingChat, result: NotQueued) -> NotRead:
        return NotRead(
            sent_by=incoming.sent_by.strip(),
            text=incoming.text,
            reason=result.reason,
            detail=result.detail,
            at=self.clock.now(),
        )

    def _moderator_command(self, incoming: IncomingChat) -> ChatCommand | None:
        # the streamer's own login counts as a moderator even if the App did not say so
        if self.moderation is None:
            return None
        moderator = incoming.is_moderator or sender_key(incoming.sent_by) == self.rules.username
        return parse_chat_command(incoming.text) if moderator else None

    def _run_command(self, incoming: IncomingChat, command: ChatCommand) -> NotQueued | InvalidInput:
        """A moderator's ``!tts`` command, carried out in units of work of its own (reason ``moderator_command``)."""
        try:
            validate(incoming)
        except InvalidInput as error:
            return error
        assert self.moderation is not None
        result = NotQueued(reason="moderator_command", detail=self.moderation.run_chat_command(command))
        if self.not_read is not None:
            item = self._not_read(incoming, result)
            announce(self.storage, MessageRejected(not_read=item))
            self._remember([item])
        return result

    def _add(
        self, uow: UnitOfWork, incoming: IncomingChat, book: PronunciationBook, senders: _Senders
    ) -> Message | NotQueued | InvalidInput:
        """Queue ``incoming`` as pending, carry out a viewer's ``!voice`` command, or say why it is not queued.

        Then the chat pipeline; then, in the same unit of work as the insert (so two messages at once cannot both
        slip through): a remembered deletion of its Twitch id, a mute of its sender, and the anti-spam limits.
        """
        try:
            validate(incoming)
        except InvalidInput as error:
            return error
        user = login(incoming.sent_by)
        choice = self._voice_choice(incoming)
        if choice is not None:
            return self._choose_voice(uow, user, choice, senders.voices)
        voice = senders.voices.get(user)
        decision = screen_chat(incoming, self.rules, voices={user: voice} if voice else {}, pronunciations=book)
        if isinstance(decision, Rejected):
            return NotQueued(reason=decision.reason, detail=decision.detail)
        refusal = self._refusal(uow, incoming, decision, senders.mutes)
        if refusal is not None:
            return NotQueued(reason=refusal.reason, detail=refusal.detail)
        return self._store(uow, incoming, decision)

    def _voice_choice(self, incoming: IncomingChat) -> VoiceChoice | None:
        # paid messages are always read; a blocked sender, or a name that is no Twitch login, changes nothing
        user = login(incoming.sent_by)
        if incoming.message_type is MessageType.BITS or user in self.rules.blocked_users or not _LOGIN.fullmatch(user):
            return None
        return voice_command(incoming.text, self.viewer_voices)

    def _choose_voice(self, uow: UnitOfWork, user: str, choice: VoiceChoice, voices: dict[str, str]) -> NotQueued:
        if choice.reason == "voice_set" and choice.voice is not None and voices.get(user) != choice.voice:
            uow.set_user_voice(user, choice.voice)
            voices[user] = choice.voice
            uow.emit(UserVoiceChanged(user=user, voice=choice.voice))
        elif choice.reason == "voice_reset" and uow.delete_user_voice(user):
            voices.pop(user, None)
            uow.emit(UserVoiceChanged(user=user, voice=None))
        return NotQueued(reason=choice.reason, detail=choice.detail)

    def _refusal(
        self, uow: UnitOfWork, incoming: IncomingChat, decision: Accepted, mutes: Mapping[str, Mute]
    ) -> Rejected | None:
        now = self.clock.now()
        twitch_id = incoming.twitch_message_id.strip() if incoming.twitch_message_id else None
        if twitch_id and uow.deletion_remembered(twitch_id, now):
            return Rejected(reason="moderated", detail="a moderator deleted this message")
        sender = sender_key(incoming.sent_by)
        mute = mutes.get(sender)
        if mute is not None and mute.active(now):
            return Rejected(reason="muted", detail=muted_detail(mute))
        if decision.queue is QueueKind.BITS and not self.antispam.bits_too:
            return None
        lookback = self.antispam.lookback
        recent = uow.from_sender(sender, queue=decision.queue, since=now - lookback) if lookback else []
        waiting = 0
        if self.antispam.max_pending_per_user > 0:
            waiting = len(uow.from_sender(sender, queue=decision.queue, statuses=WAITING_STATUSES))
        return check_spam(self.antispam, now=now, spoken_text=decision.spoken_text, recent=recent, waiting=waiting)

    def _store(self, uow: UnitOfWork, incoming: IncomingChat, decision: Accepted) -> Message:
        draft = Message(
            queue=decision.queue,
            sent_by=incoming.sent_by.strip(),
            text=incoming.text,
            spoken_text=decision.spoken_text,
            voice=decision.voice,
            engine_text=decision.engine_text,
            bits_amount=incoming.bits_amount,
            created_at=self.clock.now(),
            twitch_message_id=incoming.twitch_message_id.strip() if incoming.twitch_message_id else None,
            is_moderator=incoming.is_moderator,
        )
        message = uow.add(draft)
        uow.emit(MessageQueued(message=message))
        return message
