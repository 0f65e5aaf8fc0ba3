"""The in-memory world: every service wired to the in-memory adapters."""

from __future__ import annotations

import time

import attrs

from adapters.memory import FakeSynthesizer, InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from entrypoints.worker import SynthesisWorker
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message, MessageStatus
from tts_core.moderation import AntiSpamRules
from tts_core.services import (
    AutoplayService,
    IngestService,
    ModerationService,
    PlaybackService,
    QueueService,
    RecoveryService,
    SynthesisService,
)

USERNAME = "streamer"


@attrs.define
class World:
    """Services wired to in-memory adapters, with the adapters at hand for assertions."""

    storage: InMemoryStorage
    audio: InMemoryAudioStore
    clock: ManualClock
    events: RecordingEventSink
    engine: FakeSynthesizer
    budget_bytes: int
    antispam: AntiSpamRules = attrs.Factory(AntiSpamRules)
    max_age_seconds: float = 0.0
    cooldown_seconds: float = 10.0
    _autoplay: AutoplayService | None = None

    @property
    def ingest(self) -> IngestService:
        return IngestService(
            storage=self.storage,
            clock=self.clock,
            rules=ChatRules(username=USERNAME),
            antispam=self.antispam,
            moderation=self.moderation,
        )

    @property
    def autoplay(self) -> AutoplayService:
        """One autoplay service per world (it holds whether the loop runs)."""
        if self._autoplay is None:
            self._autoplay = AutoplayService(
                playback=self.playback, clock=self.clock, cooldown_seconds=self.cooldown_seconds, grace_seconds=3.0
            )
        return self._autoplay

    @property
    def moderation(self) -> ModerationService:
        return ModerationService(
            storage=self.storage,
            audio_store=self.audio,
            clock=self.clock,
            autoplay=self.autoplay,
            queues=self.queues,
            max_age_seconds=self.max_age_seconds,
        )

    @property
    def synthesis(self) -> SynthesisService:
        return SynthesisService(
            storage=self.storage,
            synthesizer=self.engine,
            audio_store=self.audio,
            clock=self.clock,
            mentions_budget_bytes=self.budget_bytes,
        )

    @property
    def playback(self) -> PlaybackService:
        return PlaybackService(
            storage=self.storage, audio_store=self.audio, clock=self.clock, max_age_seconds=self.max_age_seconds
        )

    @property
    def queues(self) -> QueueService:
        return QueueService(
            storage=self.storage,
            audio_store=self.audio,
            clock=self.clock,
            mentions_budget_bytes=self.budget_bytes,
        )

    @property
    def recovery(self) -> RecoveryService:
        return RecoveryService(storage=self.storage, audio_store=self.audio, clock=self.clock)

    def add(self, text: str, bits: int | None = None, sent_by: str = "v", twitch_id: str | None = None) -> Message:
        """Queue a chat message (a bits message when ``bits`` is given) and return it; fails if it is not queued."""
        kind = MessageType.BITS if bits else MessageType.CHAT
        incoming = IncomingChat(
            sent_by=sent_by, text=text, message_type=kind, bits_amount=bits, twitch_message_id=twitch_id
        )
        result = self.ingest.add_message(incoming)
        assert isinstance(result, Message), result
        return result

    def run_until_ready(self, worker: SynthesisWorker, message: Message, failure: str, timeout: float = 10.0) -> None:
        """Start ``worker``, wait until ``message`` is ready (failing with ``failure`` after ``timeout`` s), stop it."""
        worker.start()
        try:
            deadline = time.monotonic() + timeout
            while self.queues.get(message.id or 0).status is not MessageStatus.READY:
                assert time.monotonic() < deadline, failure
                time.sleep(0.02)
        finally:
            worker.stop()

    def drain(self) -> int:
        """Synthesize until nothing is pending; returns how many were processed."""
        count = 0
        while self.synthesis.synthesize_next():
            count += 1
        return count
