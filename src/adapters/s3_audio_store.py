"""S3AudioStore: one WAV object per message in an S3-compatible bucket (AWS S3, MinIO, Ceph, moto)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from adapters.audio_refs import is_audio_ref
from adapters.s3_location import S3Location
from adapters.wav import encode_wav
from tts_core.errors import AudioNotFound, AudioStoreError
from tts_core.model import StoredAudio
from tts_core.ports import AudioStore
from tts_core.speech import Speech

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

AddressingStyle = Literal["auto", "path", "virtual"]
PROBE_NAME = ".probe"
"""The object ``check()`` writes (two bytes, overwritten each time); not an audio reference."""
_MISSING_KEY = frozenset({"NoSuchKey", "404", "NotFound"})
_REFUSED = frozenset({"AccessDenied", "403", "Forbidden", "AllAccessDisabled"})
_BAD_CREDENTIALS = frozenset({"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"})


def s3_client(
    *, endpoint_url: str | None, region: str | None, addressing_style: AddressingStyle, connect_timeout: float = 3.0
) -> S3Client:
    """A client with the standard AWS credential chain (environment, ``~/.aws``, instance role).

    Timeouts are short because ``/health`` waits for ``check()``; checksums are sent only where S3
    requires them, since several S3-compatible servers reject the newer default ones.
    """
    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=30,
        retries={"mode": "standard", "max_attempts": 3},
        # the HTTP thread pool, the worker and the reconcile pass share the client: pool more than the default 10
        max_pool_connections=32,
        s3={"addressing_style": addressing_style},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # a session of its own: boto3's default session is not safe to share between threads
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


class S3AudioStore(AudioStore):
    """Objects ``<prefix>/<id>.wav`` (``<id>-<attempt>.wav`` for a retry) in a bucket that already exists.

    One ``PutObject`` per save, so a reader sees either no object or the whole one. botocore's errors
    never leave this class: a missing key becomes ``AudioNotFound``, everything else (bucket missing,
    access refused, endpoint unreachable, no credentials) ``AudioStoreError`` naming the bucket.
    """

    def __init__(self, *, client: S3Client, location: S3Location, page_size: int = 1000) -> None:
        self.client = client
        self.location = location
        self.page_size = page_size

    def save(self, ref: str, speech: Speech) -> StoredAudio:
        key = self._key(ref)
        data = encode_wav(speech)
        with self._edge():
            self.client.put_object(Bucket=self.location.bucket, Key=key, Body=data, ContentType="audio/wav")
        return StoredAudio(ref=ref, size_bytes=len(data), duration_seconds=speech.duration_seconds)

    def read(self, ref: str) -> bytes:
        key = self._key(ref)
        with self._edge(missing=ref):
            return self.client.get_object(Bucket=self.location.bucket, Key=key)["Body"].read()

    def exists(self, ref: str) -> bool:
        if not is_audio_ref(ref):
            return False
        try:
            with self._edge(missing=ref):
                self.client.head_object(Bucket=self.location.bucket, Key=self._key(ref))
        except AudioNotFound:
            return False
        return True

    def delete(self, ref: str) -> None:
        if not is_audio_ref(ref):
            return
        with self._edge():
            # S3 answers 204 for a key that is not there: deleting twice is fine
            self.client.delete_object(Bucket=self.location.bucket, Key=self._key(ref))

    def refs(self) -> list[str]:
        start = self.location.key_prefix
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=start, PaginationConfig={"PageSize": self.page_size}
        )
        found: list[str] = []
        with self._edge():
            for page in pages:
                names = (item.get("Key", "").removeprefix(start) for item in page.get("Contents", []))
                found.extend(name for name in names if is_audio_ref(name))  # nested keys and the probe are not
        return sorted(found)

    def check(self) -> None:
        with self._edge():
            self.client.put_object(Bucket=self.location.bucket, Key=self.location.key_of(PROBE_NAME), Body=b"ok")

    def _key(self, ref: str) -> str:
        if not is_audio_ref(ref):
            raise AudioNotFound(ref)
        return self.location.key_of(ref)

    @contextmanager
    def _edge(self, missing: str | None = None) -> Iterator[None]:
        """Translate botocore's errors; ``missing`` is the reference a missing key means is not found."""
        try:
            yield
        except ClientError as error:
            details = error.response.get("Error", {})
            code = str(details.get("Code", ""))
            if missing is not None and code in _MISSING_KEY:
                raise AudioNotFound(missing) from error
            raise AudioStoreError(self._refusal(code, str(details.get("Message", "")))) from error
        except NoCredentialsError as error:
            raise AudioStoreError(
                f"no credentials for the S3 bucket {self.location.bucket}: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)"
            ) from error
        except BotoCoreError as error:
            raise AudioStoreError(f"the S3 bucket {self.location.bucket} cannot be reached: {error}") from error

    def _refusal(self, code: str, message: str) -> str:
        bucket = self.location.bucket
        if code == "NoSuchBucket":
            return f"the S3 bucket {bucket} does not exist (create it: the server never creates buckets)"
        if code in _REFUSED:
            return (
                f"the S3 bucket {bucket} refuses access ({code}): the credentials need s3:GetObject, "
                f"s3:PutObject, s3:DeleteObject and s3:ListBucket on {self.location}"
            )
        if code in _BAD_CREDENTIALS:
            return f"the S3 credentials were refused by the bucket {bucket} ({code}): check AWS_ACCESS_KEY_ID"
        return f"the S3 bucket {bucket} cannot be used: {code or 'error'}: {message}".rstrip(": ")
