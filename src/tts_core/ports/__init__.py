"""Ports: the Protocols the core needs from the outside world. Adapters implement them."""

from tts_core.ports.audio_store import AudioStore
from tts_core.ports.clock import Clock
from tts_core.ports.events import EventSink
from tts_core.ports.speech_finisher import SpeechFinisher, StreamFinisher
from tts_core.ports.storage import ReadOnlyUnitOfWork, Storage, UnitOfWork
from tts_core.ports.synthesizer import Synthesizer
from tts_core.ports.voice_catalog import VoiceCatalog
from tts_core.ports.voice_settings import VoiceSettings, VoiceSettingsReader

__all__ = [
    "AudioStore",
    "Clock",
    "EventSink",
    "ReadOnlyUnitOfWork",
    "SpeechFinisher",
    "Storage",
    "StreamFinisher",
    "Synthesizer",
    "UnitOfWork",
    "VoiceCatalog",
    "VoiceSettings",
    "VoiceSettingsReader",
]
