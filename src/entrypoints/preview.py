"""The panel's preview: a text spoken as a queued message would be (dictionary, voice, levelling), as WAV."""

from __future__ import annotations

from adapters.wav import encode_wav
from tts_core.errors import InvalidInput
from tts_core.ports import SpeechFinisher, Synthesizer
from tts_core.pronunciation import PronunciationBook
from tts_core.services.voices import VoiceSettingsService
from tts_core.speech import Speech
from tts_core.voice_mix import parse_voice_mix


def speak_preview(
    text: str,
    *,
    voice: str | None,
    voices: VoiceSettingsService,
    synthesizer: Synthesizer,
    finisher: SpeechFinisher,
    wait_seconds: float,
) -> bytes:
    """``text`` with the pronunciation dictionary applied, spoken in ``voice`` (``None``: the configured one),
    finished like queue audio, as a WAV file.

    Raises ``InvalidInput`` (``text`` or ``voice``), ``SynthesisFailed``, ``EngineUnavailable`` or ``EngineBusy``
    (the engine stayed busy for ``wait_seconds`` between chunks).
    """
    if not text.strip():
        raise InvalidInput("text", "must not be empty")
    mix = parse_voice_mix(voices.check_voice(voice)) if voice is not None and voice.strip() else None
    book = PronunciationBook(tuple(voices.pronunciations()))
    engine_text = book.engine_text(book.respell(text))
    pieces = list(synthesizer.synthesize_chunks(engine_text, voice=mix, wait=wait_seconds))
    speech = Speech(pcm=b"".join(p.pcm for p in pieces), sample_rate=pieces[0].sample_rate)
    return encode_wav(finisher.finish(speech))
