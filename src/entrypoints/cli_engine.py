"""``tts-server say`` (preview a voice mix into a WAV) and ``tts-server voices`` (list the Kokoro voices).

The engine modules are imported inside the commands, so registering them costs the other commands nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import attrs

from entrypoints.settings import Settings
from tts_core.errors import TtsError
from tts_core.voice_mix import parse_voice_mix

MIN_SPEED, MAX_SPEED = 0.25, 4.0


def add_engine_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``say`` and ``voices``; each sets ``handler(args, settings) -> exit code``."""
    say = subparsers.add_parser("say", help="speak a text with Kokoro into a WAV file, to preview a voice mix")
    say.add_argument("text", help="what to say")
    say.add_argument("--voice", help="voice mix such as am_adam50_am_michael50 (default: TTS_VOICE)")
    say.add_argument("--out", type=Path, default=Path("say.wav"), help="the WAV file to write (default: say.wav)")
    say.add_argument("--speed", type=_speed, help=f"speaking rate, {MIN_SPEED} to {MAX_SPEED} (default: TTS_SPEED)")
    say.set_defaults(handler=say_command)
    voices = subparsers.add_parser("voices", help="list the Kokoro voices of the model directory or the hub")
    voices.set_defaults(handler=voices_command)


def say_command(args: argparse.Namespace, settings: Settings) -> int:
    """Load Kokoro, speak ``args.text`` with ``args.voice`` and write ``args.out``. 0 on success.

    With ``TTS_ENGINE=tone`` the stand-in engine hums the text instead, so the command works without a model."""
    if settings.engine == "tone":
        return _say_tone(args)
    from adapters.kokoro import validate_voice_mix
    from adapters.kokoro.synthesizer import KokoroSynthesizer
    from adapters.wav import encode_wav
    from entrypoints.engines import kokoro_config

    try:
        config = kokoro_config(settings, voice=args.voice, speed=args.speed)
        mix = validate_voice_mix(config, parse_voice_mix(config.voice))
    except TtsError as error:
        return _fail(str(error), code=2)
    synthesizer = KokoroSynthesizer(attrs.evolve(config, warmup_text=""))  # one text to say: no warm-up
    synthesizer.load()
    status = synthesizer.status()
    if not status.ready:
        return _fail(status.detail)
    try:
        from entrypoints.voices import speech_finisher

        speech = speech_finisher(settings).finish(synthesizer.synthesize(args.text))  # as the server would write it
        args.out.write_bytes(encode_wav(speech))
    except (TtsError, OSError) as error:
        return _fail(str(error))
    print(f"{args.out}: {speech.duration_seconds:.1f} s, voice {mix}, G2P {status.g2p}, {status.device}")
    return 0


def voices_command(_: argparse.Namespace, settings: Settings) -> int:
    """Print the usable voice ids, one a line; a summary goes to stderr. 1 when there are none.

    The tone engine has no voices: one line on stderr says so, and nothing is listed."""
    if settings.engine == "tone":
        print("TTS_ENGINE=tone hums every text the same way and has no voices; set TTS_ENGINE=kokoro", file=sys.stderr)
        return 0
    from adapters.kokoro.catalog import available_voices, hub_cached_voices
    from entrypoints.engines import kokoro_config

    config = kokoro_config(settings)
    voices = available_voices(config)
    if not voices:
        return _fail(f"no voices found in {config.source}: expected voices/*.pt there")
    for voice in voices:
        print(voice)
    if config.model_dir is not None:
        summary = f"{len(voices)} voices in {config.model_dir}"
    else:
        cached = len(hub_cached_voices(config.repo_id))
        summary = f"{len(voices)} voices of {config.repo_id} ({cached} downloaded; the others download on first use)"
    friendly = ", ".join(f"{name} → {voice_id}" for name, voice_id in config.voice_map.items())
    print(summary + (f"; TTS_VOICE_MAP: {friendly}" if friendly else ""), file=sys.stderr)
    return 0


def _say_tone(args: argparse.Namespace) -> int:
    from adapters.tone_synthesizer import ToneSynthesizer
    from adapters.wav import encode_wav

    try:
        speech = ToneSynthesizer().synthesize(args.text, speed=args.speed)
        args.out.write_bytes(encode_wav(speech))
    except (TtsError, OSError) as error:
        return _fail(str(error))
    print(f"{args.out}: {speech.duration_seconds:.1f} s, tone stand-in engine (TTS_ENGINE=tone: a hum, not speech)")
    return 0


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"must be from {MIN_SPEED} to {MAX_SPEED}")
    return value


def _fail(message: str, code: int = 1) -> int:
    print(f"tts-server: {message}", file=sys.stderr)
    return code
