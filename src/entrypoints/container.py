"""The dependency container: the only place that knows which concrete adapter serves each port."""

from __future__ import annotations

import os
import secrets
import socket

from dependency_injector import containers, providers

from adapters.event_hub import EventHub
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from adapters.sql import SqlModelStorage, create_sql_engine
from adapters.sql.event_relay import SqlEventRelay
from adapters.sql.leases import SqlRoleLease
from adapters.sql.listen import NotifyWakeUp
from adapters.system_clock import SystemClock
from adapters.tone_synthesizer import ToneSynthesizer
from adapters.twitch_irc import ReaderTimings, parse_irc_url
from entrypoints.audio_stores import build_audio_store
from entrypoints.autoplay_driver import AutoplayDriver
from entrypoints.chat_rules import chat_rules_from
from entrypoints.maintenance import Maintenance
from entrypoints.playback_owner import PlaybackOwner
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
    PlayersService,
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


def _sole_process(settings: Settings) -> bool:
    return not settings.many_processes


def process_name() -> str:
    """Who this process is, in a lease row: host, process id and a random part (process ids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Container(containers.DeclarativeContainer):
    """Adapters and services, built from :class:`Settings`. Tests override providers to plug in fakes."""

    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    sql_engine = providers.Singleton(create_sql_engine, url=settings.provided.database_url)
    events = providers.Singleton(EventHub)
    """This process's listeners subscribe here (WebSockets, the worker, the autoplay driver)."""
    # several processes: every event goes through the outbox and the relay hands each to `events` once, in seq order
    event_relay = providers.Singleton(
        SqlEventRelay, engine=sql_engine, hub=events, poll_interval=settings.provided.event_poll_interval
    )
    event_sink = providers.Selector(settings.provided.process_mode, single=events, many=event_relay)
    storage = providers.Singleton(
        SqlModelStorage, engine=sql_engine, events=event_sink, outbox=settings.provided.many_processes
    )
    audio_store = providers.Singleton(build_audio_store, settings)
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
    playback_lease = providers.Singleton(
        SqlRoleLease,
        engine=sql_engine,
        role="playback",
        owner=providers.Callable(process_name),
        seconds=settings.provided.playback_lease_seconds,
    )
    playback_owner = providers.Singleton(PlaybackOwner, lease=playback_lease, driver=autoplay_driver, clock=clock)
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
    # one instance: it holds the player pages connected now (runtime state, not persisted)
    players = providers.Singleton(PlayersService, storage=storage)
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
    recovery = providers.Factory(
        RecoveryService,
        storage=storage,
        audio_store=audio_store,
        clock=clock,
        retry=retry,
        sole_process=providers.Callable(_sole_process, settings),
    )
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
    # a `tts-server worker` process: on PostgreSQL any commit (a new message) wakes the worker at once
    worker_wake_up = providers.Singleton(NotifyWakeUp, engine=sql_engine, wake=worker.provided.wake)
    # the built-in Twitch chat reader; tests override twitch_timings to run without waiting
    twitch_timings = providers.Singleton(ReaderTimings)
    twitch_dispatcher = providers.Singleton(ChatDispatcher, ingest=ingest, moderation=moderation)
    twitch_reader = providers.Singleton(
        _twitch_reader, settings, dispatcher=twitch_dispatcher, storage=storage, timings=twitch_timings
    )
    maintenance = providers.Singleton(
        Maintenance,
        recovery=recovery,
        interval_seconds=settings.provided.reconcile_interval,
        moderation=moderation,
        prune_events=providers.Selector(
            settings.provided.process_mode, single=providers.Object(None), many=event_relay.provided.prune
        ),
    )


def build_container(settings: Settings) -> Container:
    """A container for ``settings``."""
    return Container(settings=settings)
