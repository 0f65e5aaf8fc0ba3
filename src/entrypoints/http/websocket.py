"""``/api/tts/ws``: a snapshot on connect, then every domain event as it happens and an answer to each command."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
from collections.abc import Callable
from typing import Any

import anyio
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from entrypoints.http.commands import AddMessage, error_answer, incoming_of, parse_command
from entrypoints.http.deps import CommandsDep, EventHubDep, IngestBatcherDep
from entrypoints.http.frames import Frame, event_frame, ok_frame
from entrypoints.http.schemas import add_result_json
from entrypoints.ingest_batcher import IngestBatcher
from tts_core.events import Event

log = logging.getLogger(__name__)

LIVE_PATH = "/api/tts/ws"
OUTBOX_LIMIT = 1000
"""Frames one client may have waiting; a client further behind is dropped (it reconnects for a fresh snapshot)."""
PIPELINE_LIMIT = 256
"""``add_message`` commands of one client waiting for their answer; reading the next frame waits beyond that."""
CLOSE_TOO_SLOW = 1013
"""WebSocket close code "try again later"."""
_CONNECTIONS = itertools.count(1)
"""Numbers the connections, so what a player page reports is kept per connection."""


class Outbox:
    """Frames waiting to be sent to one client, fed from any thread without ever blocking the publisher."""

    def __init__(self, loop: asyncio.AbstractEventLoop, limit: int = OUTBOX_LIMIT) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[Event | Frame] = asyncio.Queue(limit)
        self.seen_seq = 0
        """Events up to this ``seq`` are already in the snapshot the client got: they are not sent again."""
        self.overflowed = False
        self.scope: anyio.CancelScope | None = None
        """Cancelled when the client falls too far behind."""

    def publish(self, event: Event) -> None:
        """EventHub listener, called in the publisher's thread."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: the connection is gone
            self._loop.call_soon_threadsafe(self.put, event)

    def put(self, item: Event | Frame) -> None:
        """Queue a frame (or an event to turn into one); call in the event loop's thread."""
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            if self.scope is not None:
                self.scope.cancel()

    async def get(self) -> Frame:
        """The next frame to send, in the order things happened (events the snapshot already shows skipped)."""
        while True:
            item = await self._queue.get()
            if not isinstance(item, Event):
                return item
            if item.seq == 0 or item.seq > self.seen_seq:  # 0: an event storage did not number
                self.seen_seq = max(self.seen_seq, item.seq)
                return event_frame(item)


@websocket(LIVE_PATH)
async def live_socket(
    socket: WebSocket[Any, Any, Any], commands: CommandsDep, events: EventHubDep, ingest_batcher: IngestBatcherDep
) -> None:
    """The App's live channel; see ``docs/protocol.md``."""
    await socket.accept()
    connection = next(_CONNECTIONS)
    outbox = Outbox(asyncio.get_running_loop())
    # subscribe before reading the snapshot: a change in between is sent again rather than lost
    unsubscribe = events.subscribe(outbox.publish)
    try:
        snapshot = await anyio.to_thread.run_sync(commands.snapshot)
        outbox.seen_seq = int(snapshot["seq"])
        await socket.send_json(snapshot)
        with anyio.CancelScope() as scope:
            outbox.scope = scope
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(_write, socket, outbox, scope)
                await _read(socket, functools.partial(commands.handle, connection=connection), ingest_batcher, outbox)
                scope.cancel()
        if outbox.overflowed:
            log.warning("closing a WebSocket client that fell %s frames behind", OUTBOX_LIMIT)
            with anyio.move_on_after(1):
                await socket.close(CLOSE_TOO_SLOW, "too slow: reconnect for a fresh snapshot")
    except (WebSocketDisconnect, OSError):
        pass
    finally:
        unsubscribe()
        with anyio.CancelScope(shield=True):  # a player that closed is announced gone, even at shutdown
            await anyio.to_thread.run_sync(commands.disconnected, connection)


async def _read(
    socket: WebSocket[Any, Any, Any], handle: Callable[[str | bytes], Frame], batcher: IngestBatcher, outbox: Outbox
) -> None:
    """Answer commands in order; each answer follows the events its command caused.

    ``add_message`` commands go to the ingest thread without waiting for the answer to the one before, so a busy
    chat forwarded over one connection shares transactions; any other command first waits until every
    ``add_message`` before it is answered, then runs alone.
    """
    answers: asyncio.Queue[asyncio.Future[Frame]] = asyncio.Queue(PIPELINE_LIMIT)
    deliverer = asyncio.create_task(_deliver(answers, outbox))
    try:
        while True:
            try:
                message = await socket.receive()
            except WebSocketDisconnect:
                return
            if message["type"] != "websocket.receive":
                return
            data = message.get("text") or message.get("bytes") or ""
            command = parse_command(data)
            if isinstance(command, AddMessage):
                await answers.put(asyncio.ensure_future(_add(batcher, command)))
                continue
            await answers.join()
            answer: Frame = await anyio.to_thread.run_sync(handle, data)
            outbox.put(answer)
    finally:
        deliverer.cancel()


async def _add(batcher: IngestBatcher, command: AddMessage) -> Frame:
    try:
        outcome = await batcher.add(incoming_of(command))
    except Exception as error:
        return error_answer("add_message", command.request_id, error)
    return ok_frame("add_message", command.request_id, add_result_json(outcome))


async def _deliver(answers: asyncio.Queue[asyncio.Future[Frame]], outbox: Outbox) -> None:
    """Put the ``add_message`` answers into the outbox in the order the commands came."""
    while True:
        answer = await answers.get()
        outbox.put(await answer)
        answers.task_done()


async def _write(socket: WebSocket[Any, Any, Any], outbox: Outbox, scope: anyio.CancelScope) -> None:
    try:
        while True:
            await socket.send_json(await outbox.get())
    except (WebSocketDisconnect, OSError):
        scope.cancel()  # the client went away while we were sending
