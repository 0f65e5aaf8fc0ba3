"""WebSocket commands: read a frame from the App, carry it out with the services, answer ok or error."""

from __future__ import annotations

import logging
from typing import Literal

import attrs
import msgspec

from entrypoints.http.frames import Frame, error_frame, ok_frame, player_json, snapshot_frame
from entrypoints.http.limits import (
    MAX_FRAME_BYTES,
    BitsAmount,
    FailureReason,
    MuteSeconds,
    TwitchMessageId,
    UserName,
    Volume,
    WireId,
)
from entrypoints.http.schemas import (
    add_result_json,
    clear_json,
    field_of,
    message_json,
    muted_body,
    plain,
    play_json,
    purge_body,
    skip_body,
    stats_json,
    stop_json,
)
from entrypoints.http.voices_commands import VOICE_COMMANDS, AnyVoiceCommand, VoiceCommand, run_voice_command
from tts_core.chat import IncomingChat, MessageType
from tts_core.errors import ConcurrentUpdate, InvalidInput, InvalidTransition, MessageNotFound, StorageError
from tts_core.model import QueueKind
from tts_core.moderation import sender_key
from tts_core.players import PlayerStatus
from tts_core.ports import Synthesizer
from tts_core.services import (
    AutoplayService,
    IngestService,
    ModerationService,
    PlaybackService,
    PlayersService,
    QueueService,
)
from tts_core.services.voices import VoiceSettingsService

log = logging.getLogger(__name__)

RequestId = str | int | None


class Command(msgspec.Struct, tag_field="type", kw_only=True):
    """Every command may carry a ``request_id``, echoed in its answer."""

    request_id: RequestId = None


class AddMessage(Command, tag="add_message"):
    sent_by: str
    text: str
    message_type: Literal["chat", "mention", "bits"] = "chat"
    bits_amount: BitsAmount | None = None
    twitch_message_id: TwitchMessageId | None = None
    is_moderator: bool = False


class Play(Command, tag="play"):
    pass


class Stop(Command, tag="stop"):
    pass


class Autoplay(Command, tag="autoplay"):
    enabled: bool


class Clear(Command, tag="clear"):
    pass


class SwitchQueue(Command, tag="switch_queue"):
    queue_type: Literal["mentions", "bits"]


class Played(Command, tag="played"):
    id: WireId


class PlaybackFailed(Command, tag="playback_failed"):
    id: WireId
    reason: FailureReason = "the client could not play it"


class Stats(Command, tag="stats"):
    pass


class Skip(Command, tag="skip"):
    pass


class DeleteMessage(Command, tag="delete_message"):
    twitch_message_id: TwitchMessageId | None = None
    id: WireId | None = None


class PurgeUser(Command, tag="purge_user"):
    user: UserName
    duration_seconds: MuteSeconds | None = None


class UnmuteUser(Command, tag="unmute_user"):
    user: UserName


class Muted(Command, tag="muted"):
    pass


class Snapshot(Command, tag="snapshot"):
    pass


class ReportPlayerStatus(Command, tag="player_status"):
    """A player page's output, sent on connect and whenever it changes; see :class:`PlayerStatus`."""

    volume: Volume
    effective_volume: Volume
    blocked: bool
    page: Literal["player"] = "player"


AnyCommand = (
    AddMessage
    | Play
    | Stop
    | Autoplay
    | Clear
    | SwitchQueue
    | Played
    | PlaybackFailed
    | Stats
    | Snapshot
    | Skip
    | DeleteMessage
    | PurgeUser
    | UnmuteUser
    | Muted
    | ReportPlayerStatus
    | AnyVoiceCommand
)
COMMANDS = (
    "add_message",
    "play",
    "stop",
    "autoplay",
    "clear",
    "switch_queue",
    "played",
    "playback_failed",
    "stats",
    "snapshot",
    "skip",
    "delete_message",
    "purge_user",
    "unmute_user",
    "muted",
    "player_status",
    *VOICE_COMMANDS,
)


def parse_command(data: str | bytes) -> AnyCommand | Frame:
    """The command in ``data``, or the error frame that says what is wrong with it."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FRAME_BYTES:
        detail = f"a frame may hold at most {MAX_FRAME_BYTES} bytes; this one has {size}"
        return error_frame(None, None, "too_large", detail, limit_bytes=MAX_FRAME_BYTES)
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return error_frame(None, None, "malformed", "a frame must be a JSON object")
    if not isinstance(raw, dict):
        return error_frame(None, None, "malformed", "a frame must be a JSON object")
    request_id = raw.get("request_id")
    request_id = request_id if isinstance(request_id, str | int) and not isinstance(request_id, bool) else None
    kind = raw.get("type")
    if not isinstance(kind, str):
        return error_frame(None, request_id, "malformed", "a frame needs a string field `type`", field="type")
    if kind not in COMMANDS:
        known = ", ".join(COMMANDS)
        return error_frame(kind, request_id, "unknown_command", f"unknown command {kind!r}; known: {known}")
    try:
        command: AnyCommand = msgspec.convert(raw, AnyCommand)
    except msgspec.ValidationError as error:
        field = field_of(str(error)) or "body"
        return error_frame(kind, request_id, "invalid_input", f"{field}: {error}", field=field)
    return command


@attrs.define
class CommandHandler:
    """Carries out commands with the services; blocking, so run it in a worker thread."""

    ingest: IngestService
    queues: QueueService
    playback: PlaybackService
    autoplay: AutoplayService
    moderation: ModerationService
    synthesizer: Synthesizer
    cooldown_seconds: float
    voices: VoiceSettingsService
    players: PlayersService

    def handle(self, data: str | bytes, *, connection: int | None = None) -> Frame:
        """The answer to one frame from a client: ``ok`` with a result, or ``error`` with a code.

        ``connection`` numbers the WebSocket the frame came on (``player_status`` is kept per connection).
        """
        command = parse_command(data)
        if not isinstance(command, Command | VoiceCommand):
            return command
        kind, request_id = command.__struct_config__.tag, command.request_id
        assert isinstance(kind, str)
        try:
            if isinstance(command, ReportPlayerStatus):
                return ok_frame(kind, request_id, self._player_status(command, connection))
            return ok_frame(kind, request_id, self._run(command))
        except Exception as error:
            return error_answer(kind, request_id, error)

    def snapshot(self) -> Frame:
        """The state a client starts from."""
        snapshot = self.queues.snapshot()
        return snapshot_frame(
            snapshot=snapshot,
            # read after the queues: a player change the snapshot's seq misses is in this list or comes as an event
            players=self.players.connected(),
            running=self.autoplay.running,
            engine=self.synthesizer.status(),
            cooldown_seconds=self.cooldown_seconds,
        )

    def _run(self, command: AnyCommand) -> Frame:
        if isinstance(command, VoiceCommand):
            return run_voice_command(self.voices, command)
        match command:
            case AddMessage():
                return self._add(command)
            case Play():
                outcome = self.autoplay.play()
                return play_json(outcome, running=self.autoplay.running)
            case Stop():
                stopped = self.autoplay.stop()
                return stop_json(stopped, running=self.autoplay.running)
            case Autoplay(enabled=enabled):
                return {"autoplay": self.autoplay.set_autoplay(enabled), "running": self.autoplay.running}
            case Clear():
                return clear_json(self.queues.clear_active())
            case SwitchQueue(queue_type=queue_type):
                return {"active_queue": self.queues.switch(QueueKind(queue_type)).value}
            case Played(id=message_id):
                return message_json(self.autoplay.played(message_id))
            case PlaybackFailed(id=message_id, reason=reason):
                return message_json(self.autoplay.playback_failed(message_id, reason))
            case Stats():
                return {**stats_json(self.queues.stats()), "autoplay_running": self.autoplay.running}
            case Snapshot():
                return self.snapshot()
        return self._moderate(command)

    def _moderate(self, command: AnyCommand) -> Frame:
        match command:
            case Skip():
                return plain(skip_body(self.autoplay.skip(), running=self.autoplay.running))
            case DeleteMessage(twitch_message_id=twitch_message_id, id=message_id):
                removed = self.moderation.delete_message(twitch_message_id=twitch_message_id, message_id=message_id)
                return {"removed": list(removed)}
            case PurgeUser(user=user, duration_seconds=duration):
                return plain(purge_body(self.moderation.purge_user(user, duration)))
            case UnmuteUser(user=user):
                return {"user": sender_key(user), "unmuted": self.moderation.unmute_user(user)}
            case Muted():
                return plain(muted_body(self.moderation.muted()))
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    def disconnected(self, connection: int) -> None:
        """Connection ``connection`` closed: if it was a player, it is one no more (announced to the others)."""
        try:
            self.players.disconnected(connection)
        except StorageError:
            log.warning("could not announce that player %s disconnected (storage unavailable)", connection)

    def _player_status(self, command: ReportPlayerStatus, connection: int | None) -> Frame:
        if connection is None:
            raise InvalidInput("type", "player_status is sent over the live WebSocket only")
        status = PlayerStatus(
            volume=command.volume,
            effective_volume=command.effective_volume,
            blocked=command.blocked,
            page=command.page,
        )
        return player_json(self.players.report(connection, status))

    def _add(self, command: AddMessage) -> Frame:
        return add_result_json(self.ingest.add_message(incoming_of(command)))


def incoming_of(command: AddMessage) -> IncomingChat:
    """The chat message an ``add_message`` command carries."""
    return IncomingChat(
        sent_by=command.sent_by,
        text=command.text,
        message_type=MessageType(command.message_type),
        bits_amount=command.bits_amount,
        twitch_message_id=command.twitch_message_id,
        is_moderator=command.is_moderator,
    )


def error_answer(kind: str, request_id: RequestId, error: Exception) -> Frame:
    """The ``error`` frame for a command that raised ``error`` (logged when it is the server's fault)."""
    if isinstance(error, InvalidInput):
        return error_frame(kind, request_id, "invalid_input", str(error), field=error.field)
    if isinstance(error, MessageNotFound):
        return error_frame(kind, request_id, "not_found", str(error))
    if isinstance(error, InvalidTransition):
        return error_frame(kind, request_id, "invalid_transition", str(error), current_status=error.current)
    if isinstance(error, ConcurrentUpdate):
        return error_frame(kind, request_id, "changed_meanwhile", f"{error}; nothing was changed, read it again")
    if isinstance(error, StorageError):
        log.error("storage failed on %s", kind, exc_info=error)
        return error_frame(kind, request_id, "storage_unavailable", "the database is unavailable; try again")
    log.error("command %s failed", kind, exc_info=error)
    return error_frame(kind, request_id, "internal", "the server failed on this command; see its log")
