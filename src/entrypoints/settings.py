"""Settings from ``TTS_*`` environment variables and a ``.env`` file, checked at start-up."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError

from tts_core.chat import DEFAULT_BITS_TEMPLATE, DEFAULT_MESSAGE_TEMPLATE
from tts_core.errors import InvalidInput
from tts_core.voice_mix import parse_voice_mix

MIB = 1024 * 1024
ENV_PREFIX = "TTS_"


class Settings(BaseSettings):
    """Every setting of the server; the environment variable is ``TTS_`` + the field name in capitals."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8008, ge=1, le=65535)
    database_url: str = "sqlite:///./data/tts.db"
    audio_dir: Path = Path("./data/audio")
    username: str = Field(min_length=1, max_length=25, pattern=r"^[A-Za-z0-9_]+$")
    autoplay_cooldown: float = Field(default=10.0, ge=0, le=3600)
    playback_grace_seconds: float = Field(default=3.0, ge=0, le=3600)
    voice: str = "am_adam50_am_michael50"
    voice_map: dict[str, str] = Field(default_factory=dict)
    engine: Literal["kokoro", "tone"] = "kokoro"
    mentions_audio_budget_mb: float = Field(default=200.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    worker_poll_interval: float = Field(default=1.0, gt=0, le=60)
    # POST /v1/audio/speech (docs/engine.md): requests at once, and each chunk's longest wait for the engine
    speech_concurrency: int = Field(default=1, ge=1, le=64)
    speech_wait_seconds: float = Field(default=30.0, gt=0, le=3600)
    # chat pipeline (docs/chat-pipeline.md)
    min_bits: int = Field(default=1, ge=1)
    blocked_users: str = ""
    banned_words: str = ""
    banned_word_action: Literal["drop", "mask"] = "drop"
    link_action: Literal["replace", "remove"] = "replace"
    link_word: str = "link"
    max_chars: int = Field(default=300, ge=1, le=2000)
    message_template: str = DEFAULT_MESSAGE_TEMPLATE
    bits_template: str = DEFAULT_BITS_TEMPLATE
    user_voices: dict[str, str] = Field(default_factory=dict)
    # Kokoro engine
    device: Literal["auto", "cuda", "cpu"] = "auto"
    lang_code: str = Field(default="a", pattern=r"^[abefhijpz]$")
    speed: float = Field(default=1.0, gt=0.1, le=4.0)
    kokoro_model_dir: Path | None = None
    kokoro_repo_id: str = "hexgrad/Kokoro-82M"
    cpu_threads: int | None = Field(default=None, ge=1, le=256)

    @field_validator("voice")
    @classmethod
    def _voice_is_a_mix(cls, value: str) -> str:
        try:
            parse_voice_mix(value)
        except InvalidInput as error:
            raise ValueError(error.message) from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def mentions_budget_bytes(self) -> int:
        """The mentions audio budget in bytes (MB here means MiB: 200 → 209,715,200)."""
        return int(self.mentions_audio_budget_mb * MIB)


class SettingsError(Exception):
    """Settings could not be read; the message has one line per bad variable."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or raise :class:`SettingsError` naming each bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
        _check_chat_rules(settings)
        return settings
    except ValidationError as error:
        raise SettingsError("\n".join(_describe(e) for e in error.errors())) from None
    except PydanticSettingsError as error:
        # raised before validation when a JSON-valued variable is not JSON
        field = re.search(r'field "(\w+)"', str(error))
        variable = ENV_PREFIX + (field.group(1).upper() if field else "?")
        raise SettingsError(f'{variable}: not valid JSON (example: {{"jared": "am_adam"}})') from None


def _check_chat_rules(settings: Settings) -> None:
    from entrypoints.chat_rules import chat_rules_from

    try:
        chat_rules_from(settings)
    except InvalidInput as error:
        raise SettingsError(f"{ENV_PREFIX}{error.field.upper()}: {error.message}") from None


def _describe(error: object) -> str:
    assert isinstance(error, dict)
    location = error.get("loc") or ("?",)
    variable = ENV_PREFIX + str(location[0]).upper()
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "missing":
        message = "is not set" + (" (your Twitch login, used to find @mentions)" if location[0] == "username" else "")
        return f"{variable} {message}"
    value = error.get("input")
    shown = json.dumps(value) if isinstance(value, str | int | float) else ""
    return f"{variable}={shown}: {message}" if shown else f"{variable}: {message}"
