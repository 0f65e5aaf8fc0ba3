"""tts_core: the pure domain of the TTS queue server — queues, eviction, soft delete, voice mixes, ports.

Import this package from other projects to drive the queues with your own adapters (or the
in-memory ones in ``adapters.memory``). It depends on the standard library and attrs only.
"""

from tts_core.chat import Accepted, ChatRules, IncomingChat, MessageType, Rejected, screen_chat
from tts_core.counts import QueueCounts
from tts_core.errors import (
    AudioNotFound,
    AudioStoreError,
    ConcurrentUpdate,
    EngineBusy,
    EngineUnavailable,
    InvalidInput,
    InvalidTransition,
    InvalidVoiceMix,
    MessageNotFound,
    StorageError,
    SynthesisFailed,
    TtsError,
)
from tts_core.events import Event
from tts_core.eviction import EvictionCandidate, plan_eviction
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio, audio_ref_for
from tts_core.not_read import NOT_READ_KEPT, NotRead, NotReadLog
from tts_core.players import ConnectedPlayer, PlayerState, PlayerStatus
from tts_core.ports import AudioStore, Clock, EventSink, Storage, Synthesizer, UnitOfWork
from tts_core.retry import RetryPolicy
from tts_core.services import (
    AutoplayService,
    ClearResult,
    IngestService,
    ModerationService,
    NotQueued,
    PlaybackService,
    PlayersService,
    QueueService,
    QueueStats,
    RecoveryReport,
    RecoveryService,
    SynthesisService,
)
from tts_core.speech import EngineStatus, Speech
from tts_core.state import ServerState
from tts_core.voice_mix import VoiceComponent, VoiceMix, parse_voice_mix

__all__ = [
    "NOT_READ_KEPT",
    "Accepted",
    "AudioNotFound",
    "AudioStore",
    "AudioStoreError",
    "AutoplayService",
    "ChatRules",
    "ClearResult",
    "Clock",
    "ConcurrentUpdate",
    "ConnectedPlayer",
    "DeletionReason",
    "EngineBusy",
    "EngineStatus",
    "EngineUnavailable",
    "Event",
    "EventSink",
    "EvictionCandidate",
    "IncomingChat",
    "IngestService",
    "InvalidInput",
    "InvalidTransition",
    "InvalidVoiceMix",
    "Message",
    "MessageNotFound",
    "MessageStatus",
    "MessageType",
    "ModerationService",
    "NotQueued",
    "NotRead",
    "NotReadLog",
    "PlaybackService",
    "PlayerState",
    "PlayerStatus",
    "PlayersService",
    "QueueCounts",
    "QueueKind",
    "QueueService",
    "QueueStats",
    "RecoveryReport",
    "RecoveryService",
    "Rejected",
    "RetryPolicy",
    "ServerState",
    "Speech",
    "Storage",
    "StorageError",
    "StoredAudio",
    "SynthesisFailed",
    "SynthesisService",
    "Synthesizer",
    "TtsError",
    "UnitOfWork",
    "VoiceComponent",
    "VoiceMix",
    "audio_ref_for",
    "parse_voice_mix",
    "plan_eviction",
    "screen_chat",
]
