"""Autoplay and the Play/Stop buttons: the service that performs what ``tts_core.autoplay.decide`` says is due."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import attrs

from tts_core.autoplay import FinishOverdue, LoopView, Playing, Wait, decide
from tts_core.errors import InvalidTransition, MessageNotFound
from tts_core.events import AutoplayLoopChanged, Event, PlaybackFinished
from tts_core.model import Message
from tts_core.ports import Clock
from tts_core.services.playback import PlaybackService

_MAX_ACTIONS_PER_STEP = 8
"""A step ends by waiting; this only guards against a storage that keeps contradicting the view."""


@attrs.frozen(kw_only=True)
class PlayOutcome:
    """What the Play button did."""

    autoplay: bool
    """Whether Play concerned the autoplay loop (the toggle was on)."""
    started: Message | None
    """The message that started playing because of this press, if any."""
    detail: str


@attrs.define
class AutoplayService:
    """Play, Stop, the end of a message and the autoplay loop; :meth:`step` is called by a driver.

    Thread-safe: commands arrive from request threads while the driver steps in its own thread.
    """

    playback: PlaybackService
    clock: Clock
    cooldown_seconds: float
    grace_seconds: float
    _running: bool = attrs.field(default=False, init=False)
    _last_end: datetime | None = attrs.field(default=None, init=False)
    _loop_started: datetime | None = attrs.field(default=None, init=False)
    _lock: threading.RLock = attrs.field(factory=threading.RLock, init=False)

    @property
    def running(self) -> bool:
        """Whether the autoplay loop runs."""
        return self._running

    def play(self) -> PlayOutcome:
        """Toggle off: play the next ready message unless one is playing. Toggle on: start the loop
        (its first message plays at once); while the loop runs, Play changes nothing."""
        with self._lock:
            situation = self.playback.situation()
            if situation.autoplay:
                if self._running:
                    return PlayOutcome(autoplay=True, started=None, detail="autoplay is already running")
                self._set_running(True)
                self._last_end, self._loop_started = None, self.clock.now()
                _, started = self._advance()
                detail = "autoplay started" if started else "autoplay started; waiting for the next message"
                return PlayOutcome(autoplay=True, started=started, detail=detail)
            if situation.playing:
                detail = f"message {situation.playing[-1].id} is still playing"
                return PlayOutcome(autoplay=False, started=None, detail=detail)
            message = self.playback.play_next()
            detail = "playing" if message else f"no ready message in the {situation.active_queue} queue"
            return PlayOutcome(autoplay=False, started=message, detail=detail)

    def stop(self) -> tuple[Message, ...]:
        """Stop the loop and cut off the playing message (it counts as played); the toggle keeps its value."""
        with self._lock:
            self._set_running(False)
            return self.playback.stop()

    def skip(self) -> tuple[Message, ...]:
        """End the playing message now (played, marked skipped); a running loop goes on after the cooldown."""
        with self._lock:
            skipped = self.playback.skip()
            for message in skipped:
                self._note_end(message.played_at)
            return skipped

    def holding(self) -> threading.RLock:
        """The loop's lock, for a change elsewhere that must not interleave with a step (``with s.holding():``)."""
        return self._lock

    def ended_at(self, at: datetime) -> None:
        """A playing message ended some other way (a moderator removed it): the cooldown runs from ``at``."""
        with self._lock:
            self._note_end(at)

    def played(self, message_id: int) -> Message:
        """A client reports the end of a message; the cooldown starts now. Errors as ``mark_played``."""
        with self._lock:
            message = self.playback.mark_played(message_id)
            self._note_end(message.played_at)
            return message

    def playback_failed(self, message_id: int, reason: str) -> Message:
        """A client could not play a message: it is ready again at the head of its queue and the loop pauses,
        saying why, so nothing more plays unheard; Play resumes it. Errors as ``PlaybackService.playback_failed``."""
        with self._lock:
            message, changed = self.playback.playback_failed(message_id, reason)
            if changed:
                self._set_running(False, reason=f"message {message_id} could not be played: {reason}")
            return message

    def set_autoplay(self, enabled: bool) -> bool:
        """Set the toggle; turning it off also stops the loop (the playing message plays to its end)."""
        with self._lock:
            if not enabled:
                self._set_running(False)
            return self.playback.set_autoplay(enabled)

    def observe(self, event: Event) -> None:
        """Learn of a message that finished elsewhere (e.g. ``POST mark_played``): the cooldown runs from its end.

        (A moderator's removal of the playing message reports its end through :meth:`ended_at` instead: its
        event carries no time, and the moment the driver sees it may be later than the removal.)
        """
        if isinstance(event, PlaybackFinished):
            with self._lock:
                self._note_end(event.message.played_at)

    def step(self) -> datetime | None:
        """Do what is due now; return when to step again (``None``: when something happens)."""
        until, _ = self._advance()
        return until

    def _advance(self) -> tuple[datetime | None, Message | None]:
        started: Message | None = None
        with self._lock:
            for _ in range(_MAX_ACTIONS_PER_STEP):
                now = self.clock.now()
                action = decide(self._view(now), now)
                if isinstance(action, Wait):
                    return action.until, started
                if isinstance(action, FinishOverdue):
                    self._finish_overdue(action.message_id)
                else:
                    started = self.playback.play_next() or started
            return self.clock.now() + timedelta(seconds=1), started

    def _view(self, now: datetime) -> LoopView:
        situation = self.playback.situation()
        if self._running and not situation.autoplay:
            self._set_running(False)  # the toggle was turned off elsewhere
        playing = tuple(
            Playing(message_id=m.id, ends_by=self._ends_by(m, now)) for m in situation.playing if m.id is not None
        )
        cooldown = timedelta(seconds=self.cooldown_seconds)
        resume_at = self._last_end + cooldown if self._last_end is not None else None
        return LoopView(running=self._running, ready=situation.ready, playing=playing, resume_at=resume_at)

    def _ends_by(self, message: Message, now: datetime) -> datetime:
        duration = message.audio.duration_seconds if message.audio is not None else 0.0
        return (message.playing_at or now) + timedelta(seconds=duration + self.grace_seconds)

    def _finish_overdue(self, message_id: int) -> None:
        try:
            message = self.playback.mark_played(message_id)
        except (InvalidTransition, MessageNotFound):
            return  # a client reported the end just before the timeout
        self._note_end(message.played_at)

    def _note_end(self, at: datetime | None) -> None:
        # an end from before Play started the loop (a late event) must not delay its first messages
        if at is None or (self._loop_started is not None and at < self._loop_started):
            return
        if self._last_end is None or at > self._last_end:
            self._last_end = at

    def _set_running(self, running: bool, reason: str | None = None) -> None:
        if self._running != running:
            self._running = running
            self.playback.announce(AutoplayLoopChanged(running=running, reason=reason))
