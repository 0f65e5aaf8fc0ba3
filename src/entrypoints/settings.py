"""Settings from ``TTS_*`` environment variables and a ``.env`` file, checked at start-up."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError

from adapters.s3_location import S3Location, parse_s3_url
from adapters.twitch_irc.endpoint import DEFAULT_TWITCH_IRC_URL, parse_irc_url
from entrypoints.http.addresses import host_name, is_loopback, parse_origin
from tts_core.chat import DEFAULT_BITS_TEMPLATE, DEFAULT_MESSAGE_TEMPLATE
from tts_core.errors import InvalidInput
from tts_core.voice_mix import parse_voice_mix

MIB = 1024 * 1024
ENV_PREFIX = "TTS_"
USERNAME_MISSING = "TTS_USERNAME is not set (your Twitch login, used to find @mentions)"


class Settings(BaseSettings):
    """Every setting of the server; the environment variable is ``TTS_`` + the field name in capitals."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8008, ge=1, le=65535)
    database_url: str = "sqlite:///./data/tts.db"
    audio_dir: Path = Path("./data/audio")
    # where the WAV files live (docs/audio-store.md): empty → audio_dir; s3://bucket/prefix → an S3-compatible bucket
    audio_store: str = ""
    s3_endpoint_url: str = ""
    """Empty: AWS itself; else the address of MinIO, Ceph, moto… (``http://minio:9000``)."""
    s3_region: str = Field(default="", pattern=r"^([a-z0-9-]{1,40})?$")
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    """``auto``: path-style (``endpoint/bucket/key``) with an endpoint URL, boto3's choice on AWS."""
    username: str | None = Field(default=None, min_length=1, max_length=25, pattern=r"^[A-Za-z0-9_]+$")
    """Only ``serve`` needs it (see :func:`require_username`); ``say`` and ``voices`` run without."""
    autoplay_cooldown: float = Field(default=10.0, ge=0, le=3600)
    playback_grace_seconds: float = Field(default=3.0, ge=0, le=3600)
    voice: str = "am_adam50_am_michael50"
    voice_map: dict[str, str] = Field(default_factory=dict)
    engine: Literal["kokoro", "tone"] = "kokoro"
    tone_delay: float = Field(default=0.0, ge=0, le=60)
    """Seconds the tone engine takes per message (a stand-in for a real engine's time; for tests)."""
    mentions_audio_budget_mb: float = Field(default=200.0, gt=0)
    reuse_cache_mb: float = Field(default=32.0, ge=0, le=4096)
    """Memory for speech the worker reuses (a line such as "GG" that many viewers send); 0 turns reuse off."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    access_log: bool = False
    """uvicorn's line per HTTP request; off by default: a busy chat makes hundreds a second, and writing them was
    a third of the event loop's work under load (bench/README.md)."""
    worker_poll_interval: float = Field(default=1.0, gt=0, le=60)
    synthesis_lease_seconds: float = Field(default=120.0, ge=5, le=3600)
    synthesis_max_attempts: int = Field(default=3, ge=1, le=100)
    reconcile_interval: float = Field(default=60.0, gt=0, le=86400)
    # several processes on one database (docs/scale-out.md)
    processes: Literal["auto", "single", "many"] = "auto"
    """``many``: other processes share the database; ``auto``: ``many`` on PostgreSQL and for ``worker`` and
    ``serve --no-worker``, ``single`` otherwise (SQLite with the worker inside ``serve``)."""
    event_poll_interval: float = Field(default=0.25, gt=0, le=60)
    playback_lease_seconds: float = Field(default=15.0, ge=1, le=3600)
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
    """Seeds the stored per-user voices at start-up (users who have none yet); edited live afterwards."""
    viewer_voices: dict[str, str] = Field(default_factory=dict)
    """``!voice <name>`` choices for viewers: name → mix; empty: ``!voice`` is an ordinary command."""
    # audio (docs/engine.md): every WAV levelled to this loudness, or "off"
    loudness_lufs: float | None = Field(default=-16.0, ge=-40.0, le=-5.0)
    # moderation and anti-spam (docs/chat-pipeline.md, "Moderation and anti-spam"); 0 turns a limit off
    user_cooldown: float = Field(default=0.0, ge=0, le=86400)
    max_pending_per_user: int = Field(default=0, ge=0, le=10000)
    duplicate_window: float = Field(default=0.0, ge=0, le=86400)
    max_age: float = Field(default=0.0, ge=0, le=7 * 86400)
    antispam_bits: bool = False
    # Kokoro engine
    device: Literal["auto", "cuda", "cpu"] = "auto"
    lang_code: str = Field(default="a", pattern=r"^[abefhijpz]$")
    speed: float = Field(default=1.0, gt=0.1, le=4.0)
    kokoro_model_dir: Path | None = None
    kokoro_repo_id: str = "hexgrad/Kokoro-82M"
    cpu_threads: int | None = Field(default=None, ge=1, le=256)
    # who may talk to the server (docs/api.md, "Who may call")
    allowed_origins: str = ""
    allowed_hosts: str = ""
    api_token: SecretStr | None = None
    # the built-in Twitch chat reader (README, "Getting chat in"); an empty channel turns it off
    twitch_channel: str = Field(default="", max_length=26)
    twitch_oauth_token: SecretStr | None = None
    """Without it the reader logs in anonymously (``justinfan…``), which is enough to read chat."""
    twitch_irc_url: str = DEFAULT_TWITCH_IRC_URL

    @field_validator("voice")
    @classmethod
    def _voice_is_a_mix(cls, value: str) -> str:
        try:
            parse_voice_mix(value)
        except InvalidInput as error:
            raise ValueError(error.message) from None
        return value

    @field_validator("viewer_voices")
    @classmethod
    def _choices_are_mixes(cls, value: dict[str, str]) -> dict[str, str]:
        for name, mix in value.items():
            if not re.fullmatch(r"\w{1,25}", name) or name.lower() == "reset":
                raise ValueError(f"{name!r} is not a choice name (one word of letters, digits or _; not reset)")
            try:
                parse_voice_mix(mix)
            except InvalidInput as error:
                raise ValueError(f"{name}: {error.message}") from None
        return value

    @field_validator("loudness_lufs", mode="before")
    @classmethod
    def _off_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in ("off", "") else value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for entry in _entries(value):
            if parse_origin(entry) is None:
                raise ValueError(f"{entry!r} is not an origin such as https://example.com or http://mypc:8008")
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: str) -> str:
        for entry in _entries(value):
            if host_name(entry) is None:
                raise ValueError(f"{entry!r} is not a host name or address")
        return value

    @field_validator("twitch_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        channel = value.strip().removeprefix("#").lower()
        if channel and not re.fullmatch(r"[a-z0-9_]{1,25}", channel):
            raise ValueError("not a Twitch channel login (letters, digits and _, at most 25)")
        return channel

    @field_validator("twitch_irc_url")
    @classmethod
    def _irc_url(cls, value: str) -> str:
        try:
            parse_irc_url(value)
        except ValueError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("api_token", "twitch_oauth_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def origins(self) -> list[str]:
        """``TTS_ALLOWED_ORIGINS`` as a list."""
        return _entries(self.allowed_origins)

    @property
    def hosts(self) -> list[str]:
        """``TTS_ALLOWED_HOSTS`` as a list."""
        return _entries(self.allowed_hosts)

    @property
    def s3_location(self) -> S3Location | None:
        """``TTS_AUDIO_STORE`` as a bucket and prefix; ``None`` for the local directory."""
        return parse_s3_url(self.audio_store) if self.audio_store.strip() else None

    @property
    def many_processes(self) -> bool:
        """Whether other processes may share the database: recovery then takes back only expired leases, events
        go through the outbox and playback has one owner (see :attr:`processes`)."""
        if self.processes == "auto":
            return not self.database_url.startswith("sqlite")
        return self.processes == "many"

    @property
    def process_mode(self) -> str:
        """:attr:`many_processes` as ``"many"`` or ``"single"`` (the container selects adapters by it)."""
        return "many" if self.many_processes else "single"

    @property
    def mentions_budget_bytes(self) -> int:
        """The mentions audio budget in bytes (MB here means MiB: 200 → 209,715,200)."""
        return int(self.mentions_audio_budget_mb * MIB)

    @property
    def reuse_cache_bytes(self) -> int:
        """The reuse cache's size in bytes (MiB, as for the budget)."""
        return int(self.reuse_cache_mb * MIB)


def _entries(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class SettingsError(Exception):
    """Settings could not be read; the message has one line per bad variable."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or raise :class:`SettingsError` naming each bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
        _check_chat_rules(settings)
        _check_exposure(settings)
        _check_audio_store(settings)
        return settings
    except ValidationError as error:
        raise SettingsError("\n".join(_describe(e) for e in error.errors())) from None
    except PydanticSettingsError as error:
        # raised before validation when a JSON-valued variable is not JSON
        field = re.search(r'field "(\w+)"', str(error))
        variable = ENV_PREFIX + (field.group(1).upper() if field else "?")
        raise SettingsError(f'{variable}: not valid JSON (example: {{"jared": "am_adam"}})') from None


def require_username(settings: Settings) -> str:
    """The streamer's login, or :class:`SettingsError` when ``TTS_USERNAME`` is not set."""
    if settings.username is None:
        raise SettingsError(USERNAME_MISSING)
    return settings.username


def _check_exposure(settings: Settings) -> None:
    if settings.api_token is None and not is_loopback(settings.host):
        raise SettingsError(
            f"{ENV_PREFIX}API_TOKEN is not set, but {ENV_PREFIX}HOST={settings.host} is reachable from other machines: "
            f"set {ENV_PREFIX}API_TOKEN to a long random secret, or listen on 127.0.0.1"
        )


def _check_audio_store(settings: Settings) -> None:
    from entrypoints.audio_stores import check_audio_store_settings

    check_audio_store_settings(settings)


def _check_chat_rules(settings: Settings) -> None:
    from entrypoints.chat_rules import chat_rules_from

    if settings.username is None:
        return  # nothing reads chat without a username; serve refuses to start (require_username)
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
        return f"{variable} is not set"
    value = error.get("input")
    shown = json.dumps(value) if isinstance(value, str | int | float) else ""
    return f"{variable}={shown}: {message}" if shown else f"{variable}: {message}"
