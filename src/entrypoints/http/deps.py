"""Typed names of the dependencies the app provides to handlers (explicit, not validated)."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency
from litestar.params import SkipValidation

from adapters.event_hub import EventHub
from entrypoints.http.commands import CommandHandler
from entrypoints.ingest_batcher import IngestBatcher
from entrypoints.settings import Settings
from entrypoints.twitch import TwitchChatReader
from entrypoints.worker import SynthesisWorker
from tts_core.ports import AudioStore, Storage, Synthesizer
from tts_core.services import AutoplayService, IngestService, ModerationService, PlaybackService, QueueService

# Our own objects need no validation per request; SkipValidation also lets Protocol types through.
IngestBatcherDep: TypeAlias = NamedDependency[SkipValidation[IngestBatcher]]
IngestDep: TypeAlias = NamedDependency[SkipValidation[IngestService]]
QueuesDep: TypeAlias = NamedDependency[SkipValidation[QueueService]]
PlaybackDep: TypeAlias = NamedDependency[SkipValidation[PlaybackService]]
SettingsDep: TypeAlias = NamedDependency[SkipValidation[Settings]]
StorageDep: TypeAlias = NamedDependency[SkipValidation[Storage]]
SynthesizerDep: TypeAlias = NamedDependency[SkipValidation[Synthesizer]]
AudioStoreDep: TypeAlias = NamedDependency[SkipValidation[AudioStore]]
WorkerDep: TypeAlias = NamedDependency[SkipValidation[SynthesisWorker]]
AutoplayDep: TypeAlias = NamedDependency[SkipValidation[AutoplayService]]
EventHubDep: TypeAlias = NamedDependency[SkipValidation[EventHub]]
CommandsDep: TypeAlias = NamedDependency[SkipValidation[CommandHandler]]
ModerationDep: TypeAlias = NamedDependency[SkipValidation[ModerationService]]
TwitchReaderDep: TypeAlias = NamedDependency[SkipValidation[TwitchChatReader]]

__all__ = [
    "AudioStoreDep",
    "AutoplayDep",
    "CommandsDep",
    "EventHubDep",
    "IngestBatcherDep",
    "IngestDep",
    "ModerationDep",
    "PlaybackDep",
    "QueuesDep",
    "SettingsDep",
    "StorageDep",
    "SynthesizerDep",
    "TwitchReaderDep",
    "WorkerDep",
]
