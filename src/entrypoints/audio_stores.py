"""The audio store the settings ask for: the local directory, or an S3-compatible bucket."""

from __future__ import annotations

import importlib.util
import logging
from typing import Literal
from urllib.parse import urlsplit

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.s3_location import parse_s3_url
from entrypoints.settings import ENV_PREFIX, Settings, SettingsError
from tts_core.ports import AudioStore

# botocore's DEBUG lines print every request's headers, a session token among them
_CHATTY_LOGGERS = ("botocore", "boto3", "s3transfer")


def build_audio_store(settings: Settings) -> AudioStore:
    """``TTS_AUDIO_STORE`` empty: WAV files in ``TTS_AUDIO_DIR``; ``s3://…``: objects in that bucket.

    Builds no connection: a bucket that cannot be reached shows in ``/health`` and pauses the worker.
    """
    location = settings.s3_location
    if location is None:
        return FilesystemAudioStore(settings.audio_dir)
    # imported here so that boto3 (the optional [s3] extra) is needed only when S3 is chosen
    from adapters.s3_audio_store import S3AudioStore, s3_client

    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    client = s3_client(
        endpoint_url=settings.s3_endpoint_url.strip() or None,
        region=settings.s3_region or None,
        addressing_style=_addressing_style(settings),
    )
    return S3AudioStore(client=client, location=location)


def _addressing_style(settings: Settings) -> Literal["auto", "path", "virtual"]:
    # MinIO and most self-hosted stores answer path-style only, unless a wildcard DNS name is set up
    if settings.s3_addressing_style == "auto" and settings.s3_endpoint_url.strip():
        return "path"
    return settings.s3_addressing_style


def check_audio_store_settings(settings: Settings) -> None:
    """Raise :class:`SettingsError` naming the variable for a bad ``TTS_AUDIO_STORE`` / ``TTS_S3_ENDPOINT_URL``, or
    for S3 without boto3. A value holding a secret (``user:password@``) is never repeated."""
    for name, value, check in (
        ("AUDIO_STORE", settings.audio_store, _s3_url_problem),
        ("S3_ENDPOINT_URL", settings.s3_endpoint_url, _endpoint_problem),
    ):
        if value.strip() and (problem := check(value.strip())):
            shown = "" if "@" in value else f"={value}"
            raise SettingsError(f"{ENV_PREFIX}{name}{shown}: {problem}")
    if settings.s3_location is not None and importlib.util.find_spec("boto3") is None:
        raise SettingsError(
            f"{ENV_PREFIX}AUDIO_STORE={settings.audio_store}: S3 needs boto3, which is not installed: "
            "pip install 'twitch-tts-server[s3]' (in a checkout: .venv/bin/pip install -e '.[s3]')"
        )


def _s3_url_problem(value: str) -> str | None:
    try:
        parse_s3_url(value)
    except ValueError as error:
        return f"{error} (leave it empty for the local directory {ENV_PREFIX}AUDIO_DIR)"
    return None


def _endpoint_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if "@" in parts.netloc:
        return "credentials do not belong in the address: use the AWS_* variables or ~/.aws"
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "the port is not a number from 0 to 65535"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return "not an address such as http://127.0.0.1:9000 or https://s3.example.com"
    return None
