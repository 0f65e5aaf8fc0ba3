"""The dependency container: the only place that knows which concrete adapter serves each port."""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.event_hub import EventHub
from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from adapters.sql import SqlModelStorage, create_sql_engine
from adapters.system_clock import SystemClock
from adapters.tone_synthesizer import ToneSynthesizer
from adapters.twitch_irc import ReaderTimings, parse_irc_url
from entrypoints.autoplay_driver import AutoplayDriver
from entrypoints.chat_rules import chat_rules_from
from entrypoints.maintenance import Maintenance
from entrypoints.settings import Settings
from entrypoints.twitch import ChatDispatcher, TwitchChatReader
from entrypoints.voices import speech_finisher, voice_catalog
from entrypoints.worker import SynthesisWorker
from tts_core.moderation import AntiSpamRules
from tts_core.not_read import NotReadLog
from tts_core.ports import Storage, Synthesizer
from tts_core.retry import RetryPolicy
from tts_core.services import (
    AutoplayService,
    IngestService,
    ModerationService,
    PlaybackService,
    QueueService,
    RecoveryService,
    SynthesisService,
)
from tts_core.services.voices import VoiceSettingsService


def _kokoro(settings: Settings) -> Synthesizer:
    # imported here so that torch is loaded only when the Kokoro engine is chosen
    from entrypoints.engines import build_kokoro_synthesizer

    return build_kokoro_synthesizer(settings)


def _twitch_reader(
    settings: Settings, dispatcher: ChatDispatcher, storage: Storage, timings: ReaderTimings
) -> TwitchChatReader:
    token = settings.twitch_oauth_token
    return TwitchChatReader(
        channel=settings.twitch_channel,
        endpoint=parse_irc_url(settings.twitch_irc_url),
        dispatcher=dispatcher,
        storage=storage,
        token=token.get_secret_value() if token is not None else None,
        login=settings.username,
        timings=timings,
    )


class Container(containers.DeclarativeContainer):
    """Adapters and services, built from :class:`Settings`. Tests override providers to plug in fakes."""

    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    sql_engine = providers.Singleton(create_sql_engine, url=settings.provided.database_url)
    events = providers.Singleton(EventHub)
    storage = providers.Singleton(SqlModelStorage, engine=sql_engine, events=events)
    audio_store = providers.Singleton(FilesystemAudioStore, directory=settings.provided.audio_dir)
    retry = providers.Singleton(
        RetryPolicy,
        lease_seconds=settings.provided.synthesis_lease_seconds,
        max_failures=settings.provided.synthesis_max_attempts,
    )
    synthesizer = providers.Selector(
        settings.provided.engine,
        tone=providers.Singleton(ToneSynthesizer, delay=settings.provided.tone_delay),
        kokoro=providers.Singleton(_kokoro, settings),
    )
    # the worker's engine: lines already spoken (a raid's "GG", a sender's name) are reused from memory
    reusing_synthesizer = providers.Singleton(
        ReusingSynthesizer,
        inner=synthesizer,
        cache=providers.Singleton(SpeechCache, capacity_bytes=settings.provided.reuse_cache_bytes),
    )
    chat_rules = providers.Singleton(chat_rules_from, settings)
    antispam = providers.Singleton(
        AntiSpamRules,
        user_cooldown=settings.provided.user_cooldown,
        max_pending_per_user=settings.provided.max_pending_per_user,
        duplicate_window=settings.provided.duplicate_window,
        bits_too=settings.provided.antispam_bits,
    )
    voice_catalog = providers.Singleton(voice_catalog, settings)
    finisher = providers.Singleton(speech_finisher, settings)
    voices = providers.Factory(VoiceSettingsService, storage=storage, catalog=voice_catalog)
    queues = providers.Factory(
        QueueService,
        storage=storage,
        audio_store=audio_store,
        clock=clock,
        mentions_budget_bytes=settings.provided.mentions_budget_bytes,
    )
    playback = providers.Factory(
        PlaybackService,
        storage=storage,
        audio_store=audio_store,
        clock=clock,
        max_age_seconds=settings.provided.max_age,
    )
    # one instance: it holds whether the autoplay loop runs (runtime state, not persisted)
    autoplay = providers.Singleton(
        AutoplayService,
        playback=playback,
        clock=clock,
        cooldown_seconds=settings.provided.autoplay_cooldown,
        grace_seconds=settings.provided.playback_grace_seconds,
    )
    autoplay_driver = providers.Singleton(AutoplayDriver, service=autoplay, clock=clock)
    moderation = providers.Factory(
        ModerationService,
        storage=storage,
        audio_store=audio_store,
        clock=clock,
        autoplay=autoplay,
        queues=queues,
        max_age_seconds=settings.provided.max_age,
    )
    not_read = providers.Singleton(NotReadLog)
    ingest = providers.Factory(
        IngestService,
        storage=storage,
        clock=clock,
        rules=chat_rules,
        antispam=antispam,
        moderation=moderation,
        viewer_voices=settings.provided.viewer_voices,
        not_read=not_read,
    )
    recovery = providers.Factory(RecoveryService, storage=storage, audio_store=audio_store, clock=clock, retry=retry)
    synthesis = providers.Factory(
        SynthesisService,
        storage=storage,
        synthesizer=reusing_synthesizer,
        audio_store=audio_store,
        clock=clock,
        mentions_budget_bytes=settings.provided.mentions_budget_bytes,
        retry=retry,
        finisher=finisher,
    )
    worker = providers.Singleton(
        SynthesisWorker,
        service=synthesis,
        synthesizer=synthesizer,
        audio_store=audio_store,
        poll_interval=settings.provided.worker_poll_interval,
    )
    # the built-in Twitch chat reader; tests override twitch_timings to run without waiting
    twitch_timings = providers.Singleton(ReaderTimings)
    twitch_dispatcher = providers.Singleton(ChatDispatcher, ingest=ingest, moderation=moderation)
    twitch_reader = providers.Singleton(
        _twitch_reader, settings, dispatcher=twitch_dispatcher, storage=storage, timings=twitch_timings
    )
    maintenance = providers.Singleton(
        Maintenance, recovery=recovery, interval_seconds=settings.provided.reconcile_interval, moderation=moderation
    )


def build_container(settings: Settings) -> Container:
    """A container for ``settings``."""
    return Container(settings=settings)
