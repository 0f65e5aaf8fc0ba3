"""The in-memory world: every service wired to the in-memory adapters."""

from __future__ import annotations

import attrs

from adapters.memory import FakeSynthesizer, InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message
from tts_core.services import IngestService, PlaybackService, QueueService, RecoveryService, SynthesisService

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

    @property
    def ingest(self) -> IngestService:
        return IngestService(storage=self.storage, clock=self.clock, rules=ChatRules(username=USERNAME))

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
        return PlaybackService(storage=self.storage, audio_store=self.audio, clock=self.clock)

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

    def add(self, text: str, bits: int | None = None, sent_by: str = "v") -> Message:
        """Queue a chat message (a bits message when ``bits`` is given) and return it; fails if it is not queued."""
        kind = MessageType.BITS if bits else MessageType.CHAT
        incoming = IncomingChat(sent_by=sent_by, text=text, message_type=kind, bits_amount=bits)
        result = self.ingest.add_message(incoming)
        assert isinstance(result, Message), result
        return result

    def drain(self) -> int:
        """Synthesize until nothing is pending; returns how many were processed."""
        count = 0
        while self.synthesis.synthesize_next():
            count += 1
        return count
