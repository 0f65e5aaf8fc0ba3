"""Use cases: each service owns one family of actions and talks only to ports."""

from tts_core.services.autoplay import AutoplayService, PlayOutcome
from tts_core.services.ingest import IngestService, NotQueued
from tts_core.services.moderation import ModerationService, PurgeResult
from tts_core.services.playback import PlaybackService, PlaybackSituation
from tts_core.services.players import PlayersService
from tts_core.services.queues import ClearResult, LiveSnapshot, QueueService, QueueStats
from tts_core.services.recovery import RecoveryReport, RecoveryService
from tts_core.services.synthesis import SynthesisService

__all__ = [
    "AutoplayService",
    "ClearResult",
    "IngestService",
    "LiveSnapshot",
    "ModerationService",
    "NotQueued",
    "PlayOutcome",
    "PlaybackService",
    "PlaybackSituation",
    "PlayersService",
    "PurgeResult",
    "QueueService",
    "QueueStats",
    "RecoveryReport",
    "RecoveryService",
    "SynthesisService",
]
