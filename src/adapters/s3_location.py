"""Where in S3 the audio lives: ``s3://bucket/prefix`` parsed and checked (no boto3 needed)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import attrs

# S3's rules for new buckets (MinIO and most S3-compatible stores follow them)
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@attrs.frozen
class S3Location:
    """A bucket and the key prefix under which the WAV objects are stored."""

    bucket: str
    """The bucket's name; it must exist already (the server never creates buckets)."""
    prefix: str = ""
    """Keys are ``<prefix>/<ref>``; empty: ``<ref>`` at the top of the bucket."""

    def key_of(self, ref: str) -> str:
        """The object key of ``ref``."""
        return f"{self.prefix}/{ref}" if self.prefix else ref

    @property
    def key_prefix(self) -> str:
        """What every key of this store starts with (for listing)."""
        return f"{self.prefix}/" if self.prefix else ""

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def parse_s3_url(value: str) -> S3Location:
    """``s3://bucket`` or ``s3://bucket/some/prefix`` as a location; ``ValueError`` saying what is wrong."""
    parts = urlsplit(value.strip())
    if parts.scheme != "s3":
        raise ValueError("not an s3://bucket/prefix address")
    if "@" in parts.netloc:
        raise ValueError("credentials do not belong in the address: use the AWS_* variables or ~/.aws")
    if parts.query or parts.fragment:
        raise ValueError("an s3:// address has no ?query or #fragment")
    if not _BUCKET.fullmatch(parts.netloc) or ".." in parts.netloc:
        raise ValueError(f"{parts.netloc!r} is not a bucket name (3 to 63 lowercase letters, digits, dots, hyphens)")
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        raise ValueError("the prefix may not contain . or .. segments")
    return S3Location(bucket=parts.netloc, prefix="/".join(segments))
