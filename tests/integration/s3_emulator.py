"""moto's S3 emulator in server mode on a loopback port: real HTTP, never a real cloud."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from moto.server import ThreadedMotoServer

from adapters.s3_audio_store import S3AudioStore, s3_client
from adapters.s3_location import S3Location

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret"}
"""moto accepts any credentials; these keep boto3 from looking for real ones."""


def isolated_aws_environment(home: Path) -> dict[str, str]:
    """Variables that keep boto3 away from the machine's own AWS configuration and instance metadata."""
    return {
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


@attrs.define
class S3Emulator:
    """A running moto server; ``endpoint_url`` is its loopback address."""

    endpoint_url: str
    _client: S3Client | None = None

    def new_client(self) -> S3Client:
        """A client of its own, with the credentials of the environment now."""
        return s3_client(endpoint_url=self.endpoint_url, region="us-east-1", addressing_style="path")

    def client(self) -> S3Client:
        """One shared client (making one takes a while: botocore loads its S3 model)."""
        if self._client is None:
            self._client = self.new_client()
        return self._client

    def new_bucket(self) -> str:
        """A bucket of its own for one test."""
        name = f"tts-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def store(self, bucket: str, prefix: str = "tts/audio", page_size: int = 1000) -> S3AudioStore:
        return S3AudioStore(client=self.client(), location=S3Location(bucket, prefix), page_size=page_size)

    def keys(self, bucket: str) -> list[str]:
        """Every key in ``bucket`` (one page is enough for a test)."""
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@contextmanager
def running_emulator() -> Iterator[S3Emulator]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield S3Emulator(endpoint_url=f"http://{host}:{port}")
    finally:
        server.stop()
