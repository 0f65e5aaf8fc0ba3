"""Which Kokoro voices exist, and whether a voice mix names only those (cheap: no torch, no model)."""

from __future__ import annotations

import logging
from pathlib import Path

from huggingface_hub import list_repo_files, scan_cache_dir
from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

from adapters.kokoro.config import DEFAULT_REPO_ID, KokoroConfig
from adapters.kokoro.model_files import first_line, hub_file
from tts_core.errors import InvalidVoiceMix, SynthesisFailed
from tts_core.voice_mix import VoiceMix, parse_voice_mix

log = logging.getLogger(__name__)

# The voices/ folder of hexgrad/Kokoro-82M (v1.0): lets a typo in TTS_VOICE stop start-up before any download.
KOKORO_82M_VOICES = frozenset(
    """
    af_alloy af_aoede af_bella af_heart af_jessica af_kore af_nicole af_nova af_river af_sarah af_sky
    am_adam am_echo am_eric am_fenrir am_liam am_michael am_onyx am_puck am_santa
    bf_alice bf_emma bf_isabella bf_lily bm_daniel bm_fable bm_george bm_lewis
    ef_dora em_alex em_santa ff_siwis hf_alpha hf_beta hm_omega hm_psi if_sara im_nicola
    jf_alpha jf_gongitsune jf_nezumi jf_tebukuro jm_kumo pf_dora pm_alex pm_santa
    zf_xiaobei zf_xiaoni zf_xiaoxiao zf_xiaoyi zm_yunjian zm_yunxi zm_yunxia zm_yunyang
    """.split()  # noqa: SIM905 - a table to read, one line per language
)


def available_voices(config: KokoroConfig) -> list[str]:
    """Voice ids usable with ``config``, sorted: the ``voices/*.pt`` of the model directory, or, for the hub,
    the repository's known voices plus any already in the Hugging Face cache. Never touches the network."""
    if config.model_dir is not None:
        return sorted(p.stem for p in (config.model_dir / "voices").glob("*.pt"))
    known = KOKORO_82M_VOICES if config.repo_id == DEFAULT_REPO_ID else frozenset()
    return sorted(known | set(hub_cached_voices(config.repo_id)))


def hub_cached_voices(repo_id: str) -> list[str]:
    """Voice ids of ``repo_id`` found in the Hugging Face cache (any revision)."""
    try:
        cache = scan_cache_dir()
    except Exception:  # no cache directory yet, or an unreadable one: nothing is cached
        return []
    return sorted(
        {
            file.file_name.removesuffix(".pt")
            for repo in cache.repos
            if repo.repo_id == repo_id
            for revision in repo.revisions
            for file in revision.files
            if file.file_path.parent.name == "voices" and file.file_name.endswith(".pt")
        }
    )


def validate_voice_mix(config: KokoroConfig, mix: VoiceMix | None = None) -> VoiceMix:
    """``mix`` (default: ``config.voice``) with friendly names mapped through ``config.voice_map``.

    Raises :class:`InvalidVoiceMix` with one line listing the voices that exist when a voice is unknown.
    With the hub, a voice missing from the known list is looked up online; when the hub cannot be
    reached the mix is let through, and loading the voice will tell.
    """
    written = mix or parse_voice_mix(config.voice)
    mapped = written.mapped(config.voice_map)
    known = set(available_voices(config))
    unknown = [c.name for c in mapped.components if c.name not in known]
    if unknown and config.model_dir is None:
        online = _hub_voices_online(config.repo_id)
        known = known | set(online) if online is not None else known | set(unknown)
        unknown = [name for name in unknown if name not in known]
    if unknown:
        named = [_as_written(name, written, mapped) for name in unknown]
        raise InvalidVoiceMix(_unknown_message(config, written, named, sorted(known)))
    return mapped


def voice_file(config: KokoroConfig, voice_id: str) -> Path:
    """The ``.pt`` file of ``voice_id``: in the model directory, or downloaded from the hub (once, then cached).

    Raises :class:`InvalidVoiceMix` for a voice that does not exist, :class:`SynthesisFailed` when the
    hub cannot be reached and the voice is not cached.
    """
    if config.model_dir is not None:
        path = config.model_dir / "voices" / f"{voice_id}.pt"
        if "/" in voice_id or "\\" in voice_id or not path.is_file():
            raise InvalidVoiceMix(_unknown_message(config, None, [repr(voice_id)], available_voices(config)))
        return path
    try:
        return hub_file(config.repo_id, f"voices/{voice_id}.pt")
    except LocalEntryNotFoundError as error:  # offline and not cached: the voice may well exist
        raise SynthesisFailed(f"cannot download voice {voice_id} from {config.repo_id}: {first_line(error)}") from error
    except EntryNotFoundError as error:
        raise InvalidVoiceMix(_unknown_message(config, None, [repr(voice_id)], available_voices(config))) from error
    except Exception as error:  # HTTP, disk or cache trouble: this voice cannot be had now
        raise SynthesisFailed(f"cannot download voice {voice_id} from {config.repo_id}: {first_line(error)}") from error


def _hub_voices_online(repo_id: str) -> list[str] | None:
    try:
        files = list_repo_files(repo_id)
    except Exception as error:  # offline, rate-limited, private repo: we cannot tell
        log.info("cannot list voices of %s on the hub (%s)", repo_id, first_line(error))
        return None
    return [
        f.removeprefix("voices/").removesuffix(".pt") for f in files if f.startswith("voices/") and f.endswith(".pt")
    ]


def _as_written(voice_id: str, written: VoiceMix, mapped: VoiceMix) -> str:
    for before, after in zip(written.components, mapped.components, strict=True):
        if after.name == voice_id and before.name != voice_id:
            return f"{voice_id!r} (from {before.name!r} via TTS_VOICE_MAP)"
    return repr(voice_id)


def _unknown_message(config: KokoroConfig, mix: VoiceMix | None, unknown: list[str], known: list[str]) -> str:
    names = ", ".join(unknown)
    where = f" in {mix}" if mix is not None and len(mix.components) > 1 else ""
    voices = ", ".join(known) if known else "none found"
    return f"unknown Kokoro voice {names}{where} (map friendly names with TTS_VOICE_MAP); {config.source} has: {voices}"
