"""The audio store the settings ask for: the local directory, or an S3-compatible bucket."""

from __future__ import annotations

import logging
from typing import Literal

from adapters.filesystem_audio_store import FilesystemAudioStore
from entrypoints.settings import Settings
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
