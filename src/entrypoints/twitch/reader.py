"""The built-in Twitch chat reader: an asyncio task on the app's loop, started and stopped with the app or the panel."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import attrs

from adapters.twitch_irc import ChatEvent, ConnectionState, IrcEndpoint, ReaderTimings, TwitchIrcClient
from entrypoints.twitch.dispatch import ChatDispatcher
from tts_core.errors import StorageError
from tts_core.events import ChatConnectionChanged
from tts_core.ports import Storage
from tts_core.services.announce import announce

log = logging.getLogger(__name__)

ChatState = Literal["off", "connecting", "connected"]


@attrs.frozen(kw_only=True)
class ChatStatus:
    """The chat connection as ``/health``, the panel and ``chat_connection`` frames show it."""

    state: ChatState
    channel: str | None
    last_error: str | None = None
    """Why the last attempt failed or ended (never the token); cleared once connected."""
    revision: int = attrs.field(default=0, eq=False)
    """Rises with every change since start-up, so a client can tell an older answer from a newer frame."""

    @property
    def problem(self) -> str | None:
        """A reason for ``/health`` while the reader is on but not connected after a failure, else ``None``."""
        if self.state == "connecting" and self.last_error:
            return f"Twitch chat #{self.channel} is not connected: {self.last_error}"
        return None


class ChatNotConfigured(Exception):
    """``connect`` without ``TTS_TWITCH_CHANNEL``."""


@attrs.define(kw_only=True)
class TwitchChatReader:
    """Owns the :class:`TwitchIrcClient` task; :meth:`start` and :meth:`stop` run on the app's event loop.

    Each chat event is handed to the :class:`ChatDispatcher` in a worker thread, one at a time in the order
    received (the services are synchronous). Every change of state is announced as ``chat_connection``.
    """

    channel: str
    """The channel login; empty: no channel is set and :meth:`start` refuses."""
    endpoint: IrcEndpoint
    dispatcher: ChatDispatcher
    storage: Storage
    token: str | None = attrs.field(default=None, repr=False)
    login: str | None = None
    timings: ReaderTimings = attrs.field(factory=ReaderTimings)
    _task: asyncio.Task[None] | None = attrs.field(init=False, default=None)
    _status: ChatStatus = attrs.field(init=False)
    _last_announcement: asyncio.Task[None] | None = attrs.field(init=False, default=None)
    _pending: set[asyncio.Task[None]] = attrs.field(init=False, factory=set)

    def __attrs_post_init__(self) -> None:
        self._status = ChatStatus(state="off", channel=self.channel or None)

    @property
    def status(self) -> ChatStatus:
        """The connection now (read from any thread: the status is replaced whole, never changed in place)."""
        return self._status

    async def start(self) -> ChatStatus:
        """Connect (a no-op when already on). Raises :class:`ChatNotConfigured` without a channel."""
        if not self.channel:
            raise ChatNotConfigured("TTS_TWITCH_CHANNEL is not set: there is no channel to read")
        if self._task is None or self._task.done():
            client = TwitchIrcClient(
                endpoint=self.endpoint,
                channel=self.channel,
                on_event=self._deliver,
                on_state=self._on_state,
                token=self.token,
                login=self.login,
                timings=self.timings,
            )
            log.info("Twitch chat: reading #%s from %s", self.channel, self.endpoint)
            self._set(ChatStatus(state="connecting", channel=self.channel))
            self._task = asyncio.create_task(client.run(), name=f"twitch-chat-{self.channel}")
        return self._status

    async def stop(self) -> ChatStatus:
        """Disconnect (a no-op when off); returns once the connection is closed."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            while not task.done():  # a cancellation swallowed inside a library is repeated, never waited on forever
                await asyncio.wait({task}, timeout=1.0)
                task.cancel()
            if not task.cancelled() and task.exception() is not None:
                log.error("Twitch chat: the reader had failed", exc_info=task.exception())
            log.info("Twitch chat: stopped reading #%s", self.channel)
            self._set(ChatStatus(state="off", channel=self.channel or None))
        return self._status

    async def close(self) -> None:
        """Stop, and wait (briefly) for the last announcements to be stored; for the app's shutdown."""
        await self.stop()
        if self._pending:
            await asyncio.wait(self._pending, timeout=self.timings.pong_timeout)

    async def _deliver(self, event: ChatEvent) -> None:
        await asyncio.to_thread(self.dispatcher.handle, event)

    def _on_state(self, state: ConnectionState, error: str | None) -> None:
        self._set(ChatStatus(state=state, channel=self.channel, last_error=error))

    def _set(self, status: ChatStatus) -> None:
        if status == self._status:
            return
        status = attrs.evolve(status, revision=self._status.revision + 1)
        self._status = status
        task = asyncio.get_running_loop().create_task(self._announce(status, after=self._last_announcement))
        self._last_announcement = task
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _announce(self, status: ChatStatus, *, after: asyncio.Task[None] | None) -> None:
        # one after the other, so the frames' seq follow the order the states changed
        if after is not None and after.get_loop() is asyncio.get_running_loop():
            await asyncio.wait({after})
        event = ChatConnectionChanged(
            state=status.state, channel=status.channel, last_error=status.last_error, revision=status.revision
        )
        try:
            await asyncio.to_thread(announce, self.storage, event)
        except StorageError:
            log.debug("Twitch chat: could not announce %s (storage unavailable)", status.state)
