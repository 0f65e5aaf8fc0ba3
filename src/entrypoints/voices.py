"""Builds the voice catalog and the speech finisher from the settings; seeds the stored per-user voices."""

from __future__ import annotations

import logging

from adapters.loudness import LoudnessFinisher, UnchangedSpeech
from adapters.memory_voices import KnownVoiceCatalog
from entrypoints.settings import Settings
from tts_core.errors import InvalidInput
from tts_core.ports import SpeechFinisher, VoiceCatalog
from tts_core.services.voices import VoiceSettingsService

log = logging.getLogger(__name__)


def voice_catalog(settings: Settings) -> VoiceCatalog:
    """Kokoro's voice files for the Kokoro engine; any voice for the tone engine (it hums every voice alike)."""
    if settings.engine != "kokoro":
        return KnownVoiceCatalog(None)
    from adapters.kokoro.voice_catalog import KokoroVoiceCatalog
    from entrypoints.engines import kokoro_config

    return KokoroVoiceCatalog(kokoro_config(settings))


def speech_finisher(settings: Settings) -> SpeechFinisher:
    """Trim and level every WAV to ``TTS_LOUDNESS_LUFS`` (true peak ≤ −1 dBFS), or leave it (``off``)."""
    if settings.loudness_lufs is None:
        return UnchangedSpeech()
    return LoudnessFinisher(target_lufs=settings.loudness_lufs)


def seed_voices(settings: Settings, voices: VoiceSettingsService) -> None:
    """Store ``TTS_USER_VOICES`` for users without a voice yet, and say which configured voices do not exist."""
    for name, configured in (("TTS_USER_VOICES", settings.user_voices), ("TTS_VIEWER_VOICES", settings.viewer_voices)):
        for key, mix in configured.items():
            try:
                voices.check_voice(mix)
            except InvalidInput as error:
                log.error("%s: %s: %s", name, key, error.message)
    added = voices.seed_user_voices(settings.user_voices)
    if added:
        log.info("stored the voices of TTS_USER_VOICES for %s", ", ".join(added))
