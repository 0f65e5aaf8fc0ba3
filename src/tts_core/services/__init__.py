"""Use cases: each service owns one family of actions and talks only to ports."""

from tts_core.services.ingest import IngestService, NotQueued
from tts_core.services.playback import PlaybackService
from tts_core.services.queues import ClearResult, QueueService, QueueStats
from tts_core.services.recovery import RecoveryReport, RecoveryService
from tts_core.services.synthesis import SynthesisService

__all__ = [
    "ClearResult",
    "IngestService",
    "NotQueued",
    "PlaybackService",
    "QueueService",
    "QueueStats",
    "RecoveryReport",
    "RecoveryService",
    "SynthesisService",
]
