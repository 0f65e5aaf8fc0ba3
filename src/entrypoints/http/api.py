"""The seed-compatible JSON API under ``/api/tts``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from entrypoints.http.deps import AutoplayDep, IngestDep, PlaybackDep, QueuesDep, SettingsDep, SynthesizerDep
from entrypoints.http.schemas import (
    AddMessageBody,
    SwitchQueueBody,
    add_result_json,
    message_json,
    play_json,
    stats_json,
    stop_json,
)
from tts_core.chat import IncomingChat, MessageType
from tts_core.model import MessageStatus, QueueKind
from tts_core.services import NotQueued


class TtsController(Controller):
    """Queue, play and control messages."""

    path = "/api/tts"
    tags = ("tts",)

    @post("/add_message", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def add_message(self, data: JSONBody[AddMessageBody], ingest: IngestDep) -> Response[dict[str, Any]]:
        """Queue a chat message (201), or say why it is not queued (200, ``queued: false``)."""
        incoming = IncomingChat(
            sent_by=data.sent_by,
            text=data.text,
            message_type=MessageType(data.message_type),
            bits_amount=data.bits_amount,
        )
        result = ingest.add_message(incoming)
        status = HTTP_200_OK if isinstance(result, NotQueued) else HTTP_201_CREATED
        return Response(add_result_json(result), status_code=status)

    @get("/active_queue_stats", sync_to_thread=True)
    def active_queue_stats(self, queues: QueuesDep) -> dict[str, Any]:
        """Counts of the active queue, mentions audio use and autoplay."""
        return stats_json(queues.stats())

    @post("/play_next", sync_to_thread=True, status_code=HTTP_200_OK)
    def play_next(self, playback: PlaybackDep) -> Response[Any]:
        """Start playing the next ready message of the active queue (204 when none is ready)."""
        message = playback.play_next()
        if message is None:
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        return Response(message_json(message), status_code=HTTP_200_OK)

    @post("/mark_played/{message_id:int}", sync_to_thread=True, status_code=HTTP_200_OK)
    def mark_played(self, message_id: FromPath[int], autoplay: AutoplayDep) -> dict[str, Any]:
        """A playing message finished: it becomes played and its file is deleted (autoplay's cooldown starts)."""
        return message_json(autoplay.played(message_id))

    @post("/play", sync_to_thread=True, status_code=HTTP_200_OK)
    def play(self, autoplay: AutoplayDep) -> dict[str, Any]:
        """The Play button: one message with the toggle off, the autoplay loop with it on (as the WS ``play``)."""
        outcome = autoplay.play()
        return play_json(outcome, running=autoplay.running)

    @post("/stop", sync_to_thread=True, status_code=HTTP_200_OK)
    def stop(self, autoplay: AutoplayDep) -> dict[str, Any]:
        """The Stop button: the playing message counts as played and the loop stops; the toggle stays."""
        stopped = autoplay.stop()
        return stop_json(stopped, running=autoplay.running)

    @post("/autoplay/start", sync_to_thread=True, status_code=HTTP_200_OK)
    def autoplay_start(self, autoplay: AutoplayDep) -> dict[str, bool]:
        """Turn the autoplay toggle on (it does not start playing: Play does)."""
        return {"autoplay": autoplay.set_autoplay(True)}

    @post("/autoplay/stop", sync_to_thread=True, status_code=HTTP_200_OK)
    def autoplay_stop(self, autoplay: AutoplayDep) -> dict[str, bool]:
        """Turn the autoplay toggle off; a running loop stops after the playing message."""
        return {"autoplay": autoplay.set_autoplay(False)}

    @post("/clear_active_queue", sync_to_thread=True, status_code=HTTP_200_OK)
    def clear_active_queue(self, queues: QueuesDep) -> dict[str, Any]:
        """Soft-delete the active queue's waiting messages and delete their files."""
        result = queues.clear_active()
        return {
            "queue": result.queue.value,
            "cleared": len(result.message_ids),
            "message_ids": list(result.message_ids),
        }

    @post("/switch_active_queue", sync_to_thread=True, status_code=HTTP_200_OK)
    def switch_active_queue(self, data: JSONBody[SwitchQueueBody], queues: QueuesDep) -> dict[str, str]:
        """Make mentions or bits the active queue (persisted)."""
        return {"active_queue": queues.switch(QueueKind(data.queue_type)).value}

    @get("/config", sync_to_thread=True)
    def config(self, settings: SettingsDep, synthesizer: SynthesizerDep) -> dict[str, Any]:
        """The settings that shape behaviour (no secrets)."""
        engine = synthesizer.status()
        return {
            "username": settings.username,
            "autoplay_cooldown": settings.autoplay_cooldown,
            "voice": settings.voice,
            "voice_map": settings.voice_map,
            "engine": settings.engine,
            "engine_ready": engine.ready,
            "device": engine.device,
            "g2p": engine.g2p,
            "lang_code": settings.lang_code,
            "speed": settings.speed,
            "mentions_audio_budget_mb": settings.mentions_audio_budget_mb,
            "mentions_audio_budget_bytes": settings.mentions_budget_bytes,
        }

    @get("/messages/{message_id:int}", sync_to_thread=True)
    def message(self, message_id: FromPath[int], queues: QueuesDep) -> dict[str, Any]:
        """One message with its status, timestamps, deletion reason, error and audio URL."""
        return message_json(queues.get(message_id))

    @get("/messages", sync_to_thread=True)
    def messages(
        self,
        queues: QueuesDep,
        queue: FromQuery[QueueKind | None] = None,
        status: FromQuery[MessageStatus | None] = None,
        before_id: int | None = Parameter(default=None, ge=1),
        limit: int = Parameter(default=100, ge=1, le=1000),
    ) -> dict[str, Any]:
        """Messages, newest first, filtered by queue and status; page with ``before_id``."""
        found = queues.find(queue=queue, status=status, before_id=before_id, limit=limit)
        return {"messages": [message_json(m) for m in found], "count": len(found)}
