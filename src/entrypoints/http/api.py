"""The seed-compatible JSON API under ``/api/tts``."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from entrypoints.http.deps import (
    AutoplayDep,
    IngestBatcherDep,
    IngestDep,
    PlaybackDep,
    QueuesDep,
    SettingsDep,
    SynthesizerDep,
)
from entrypoints.http.errors import error_responses
from entrypoints.http.limits import MAX_INT, MessageId
from entrypoints.http.responses import (
    ActiveQueueBody,
    AutoplayBody,
    ClearBody,
    ConfigBody,
    MessageBody,
    MessageListBody,
    NotQueuedBody,
    NotReadListBody,
    PlayBody,
    QueuedMessage,
    StatsBody,
    StopBody,
)
from entrypoints.http.schemas import (
    AddMessageBody,
    PlaybackFailedBody,
    SwitchQueueBody,
    add_result_body,
    clear_body,
    message_body,
    not_read_body,
    play_body,
    stats_body,
    stop_body,
)
from tts_core.model import MessageStatus, QueueKind


class TtsController(Controller):
    """Queue, play and control messages."""

    path = "/api/tts"
    tags = ("tts",)

    @post(
        "/add_message",
        status_code=HTTP_201_CREATED,
        responses={
            HTTP_201_CREATED: ResponseSpec(QueuedMessage, description="Queued (status pending)"),
            HTTP_200_OK: ResponseSpec(NotQueuedBody, description="Understood but not read; `reason` says why"),
            **error_responses(400, 413, 503),
        },
    )
    async def add_message(
        self, data: JSONBody[AddMessageBody], ingest_batcher: IngestBatcherDep
    ) -> Response[QueuedMessage | NotQueuedBody]:
        """Queue a chat message (201), or say why it is not queued (200, ``queued: false``)."""
        # the event loop only waits: the message is stored by the ingest thread, with any others waiting then
        body = add_result_body(await ingest_batcher.add(data.incoming()))
        status = HTTP_201_CREATED if isinstance(body, QueuedMessage) else HTTP_200_OK
        return Response(body, status_code=status)

    @get("/active_queue_stats", sync_to_thread=True, responses=error_responses(503))
    def active_queue_stats(self, queues: QueuesDep) -> StatsBody:
        """Counts of the active queue, mentions audio use and autoplay."""
        return stats_body(queues.stats())

    @post(
        "/play_next",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses={
            HTTP_200_OK: ResponseSpec(MessageBody, description="The message now playing"),
            HTTP_204_NO_CONTENT: ResponseSpec(None, description="No message of the active queue is ready"),
            **error_responses(503),
        },
    )
    def play_next(self, playback: PlaybackDep) -> Response[MessageBody | None]:
        """Start playing the next ready message of the active queue (204 when none is ready)."""
        message = playback.play_next()
        if message is None:
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        return Response(message_body(message), status_code=HTTP_200_OK)

    @post(
        "/mark_played/{message_id:int}",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 404, 409, 503),
    )
    def mark_played(self, message_id: MessageId, autoplay: AutoplayDep) -> MessageBody:
        """A playing message finished: it becomes played and its file is deleted (autoplay's cooldown starts)."""
        return message_body(autoplay.played(message_id))

    @post(
        "/playback_failed/{message_id:int}",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 404, 409, 413, 503),
    )
    def playback_failed(
        self, message_id: MessageId, autoplay: AutoplayDep, data: JSONBody[PlaybackFailedBody]
    ) -> MessageBody:
        """A client could not play a playing message (e.g. the browser blocked sound): it is ready again, first in
        its queue, and the autoplay loop pauses with the reason. Only a heard end (``mark_played``) makes it played."""
        return message_body(autoplay.playback_failed(message_id, data.reason))

    @post("/play", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def play(self, autoplay: AutoplayDep) -> PlayBody:
        """The Play button: one message with the toggle off, the autoplay loop with it on (as the WS ``play``)."""
        outcome = autoplay.play()
        return play_body(outcome, running=autoplay.running)

    @post("/stop", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def stop(self, autoplay: AutoplayDep) -> StopBody:
        """The Stop button: the playing message counts as played and the loop stops; the toggle stays."""
        stopped = autoplay.stop()
        return stop_body(stopped, running=autoplay.running)

    @post("/autoplay/start", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def autoplay_start(self, autoplay: AutoplayDep) -> AutoplayBody:
        """Turn the autoplay toggle on (it does not start playing: Play does)."""
        return AutoplayBody(autoplay=autoplay.set_autoplay(True))

    @post("/autoplay/stop", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def autoplay_stop(self, autoplay: AutoplayDep) -> AutoplayBody:
        """Turn the autoplay toggle off; a running loop stops after the playing message."""
        return AutoplayBody(autoplay=autoplay.set_autoplay(False))

    @post("/clear_active_queue", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def clear_active_queue(self, queues: QueuesDep) -> ClearBody:
        """Soft-delete the active queue's waiting messages and delete their files."""
        return clear_body(queues.clear_active())

    @post(
        "/switch_active_queue",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 413, 503),
    )
    def switch_active_queue(self, data: JSONBody[SwitchQueueBody], queues: QueuesDep) -> ActiveQueueBody:
        """Make mentions or bits the active queue (persisted)."""
        return ActiveQueueBody(active_queue=queues.switch(QueueKind(data.queue_type)))

    @get("/config", sync_to_thread=True)
    def config(self, settings: SettingsDep, synthesizer: SynthesizerDep) -> ConfigBody:
        """The settings that shape behaviour (no secrets: never a token)."""
        engine = synthesizer.status()
        return ConfigBody(
            username=settings.username,
            autoplay_cooldown=settings.autoplay_cooldown,
            voice=settings.voice,
            voice_map=settings.voice_map,
            engine=settings.engine,
            engine_ready=engine.ready,
            device=engine.device,
            g2p=engine.g2p,
            lang_code=settings.lang_code,
            speed=settings.speed,
            mentions_audio_budget_mb=settings.mentions_audio_budget_mb,
            mentions_audio_budget_bytes=settings.mentions_budget_bytes,
            twitch_channel=settings.twitch_channel or None,
        )

    @get("/rejected", sync_to_thread=True)
    def rejected(self, ingest: IngestDep) -> NotReadListBody:
        """The latest chat messages that were not queued (at most 200, newest first), each with its reason: the
        answer to "why wasn't X read?". Kept in memory: a restart forgets them."""
        items = ingest.not_read.recent() if ingest.not_read is not None else []
        return NotReadListBody(messages=[not_read_body(item) for item in items], count=len(items))

    @get("/messages/{message_id:int}", sync_to_thread=True, responses=error_responses(400, 404, 503))
    def message(self, message_id: MessageId, queues: QueuesDep) -> MessageBody:
        """One message with its status, timestamps, deletion reason, error and audio URL."""
        return message_body(queues.get(message_id))

    @get("/messages", sync_to_thread=True, responses=error_responses(400, 503))
    def messages(
        self,
        queues: QueuesDep,
        queue: FromQuery[QueueKind | None] = None,
        status: FromQuery[MessageStatus | None] = None,
        before_id: int | None = Parameter(default=None, ge=1, le=MAX_INT),
        limit: int = Parameter(default=100, ge=1, le=1000),
    ) -> MessageListBody:
        """Messages, newest first, filtered by queue and status; page with ``before_id``."""
        found = queues.find(queue=queue, status=status, before_id=before_id, limit=limit)
        return MessageListBody(messages=[message_body(m) for m in found], count=len(found))
