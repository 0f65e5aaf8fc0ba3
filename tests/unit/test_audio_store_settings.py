"""TTS_AUDIO_STORE and the TTS_S3_* settings: which store is built, and the errors for bad values."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.s3_audio_store import S3AudioStore
from adapters.s3_location import S3Location, parse_s3_url
from entrypoints.audio_stores import build_audio_store
from entrypoints.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("value", "bucket", "prefix"),
    [
        ("s3://tts-audio", "tts-audio", ""),
        ("s3://tts-audio/", "tts-audio", ""),
        ("s3://tts-audio/channel/audio/", "tts-audio", "channel/audio"),
        ("s3://my.bucket-1//a//b", "my.bucket-1", "a/b"),
    ],
)
def test_an_s3_address_names_bucket_and_prefix(value: str, bucket: str, prefix: str) -> None:
    """s3://bucket/prefix gives that bucket and the prefix without stray slashes."""
    assert load_settings(audio_store=value).s3_location == S3Location(bucket, prefix)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/srv/audio", "not an s3://bucket/prefix address"),
        ("https://tts-audio/x", "not an s3://bucket/prefix address"),
        ("s3://Tts_Audio", "is not a bucket name"),
        ("s3://ab", "is not a bucket name"),
        ("s3://tts-audio/../other", "may not contain . or .."),
        ("s3://tts-audio/x?versioning=1", "no ?query"),
    ],
)
def test_a_bad_audio_store_is_a_settings_error_naming_the_variable(value: str, says: str) -> None:
    """The error names TTS_AUDIO_STORE and what is wrong, and how to get the local directory."""
    with pytest.raises(SettingsError, match=r"^TTS_AUDIO_STORE=") as raised:
        load_settings(audio_store=value)
    assert says in str(raised.value)
    assert "TTS_AUDIO_DIR" in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("audio_store", "s3://AKIAKEY:hunter2secret@tts-audio"),
        ("s3_endpoint_url", "http://AKIAKEY:hunter2secret@minio"),
    ],
)
def test_credentials_in_an_address_are_refused_without_being_repeated(variable: str, value: str) -> None:
    """A secret typed into an address is rejected, and the error message does not contain it."""
    with pytest.raises(SettingsError, match="credentials do not belong") as raised:
        load_settings(**{variable: value})
    assert "hunter2secret" not in str(raised.value)
    assert f"TTS_{variable.upper()}" in str(raised.value)


@pytest.mark.parametrize("value", ["minio:9000", "ftp://minio", "http://minio:port", "http://"])
def test_a_bad_endpoint_url_is_a_settings_error(value: str) -> None:
    """TTS_S3_ENDPOINT_URL must be an http(s) address."""
    with pytest.raises(SettingsError, match=r"^TTS_S3_ENDPOINT_URL="):
        load_settings(audio_store="s3://tts-audio", s3_endpoint_url=value)


def test_a_bad_region_is_a_settings_error() -> None:
    """TTS_S3_REGION is checked like every other setting."""
    with pytest.raises(SettingsError, match="TTS_S3_REGION"):
        load_settings(s3_region="eu west 1")


def test_s3_without_boto3_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing S3 on an install without boto3 fails at start-up with the pip command to run."""
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(SettingsError, match=r"TTS_AUDIO_STORE=s3://tts-audio: S3 needs boto3.*\[s3\]"):
        load_settings(audio_store="s3://tts-audio")
    assert load_settings().s3_location is None  # the local directory needs no boto3


def test_the_default_is_the_local_directory(tmp_path: Path) -> None:
    """Without TTS_AUDIO_STORE the files go to TTS_AUDIO_DIR, as before."""
    store = build_audio_store(load_settings(audio_dir=tmp_path / "audio"))
    assert isinstance(store, FilesystemAudioStore)
    assert store.directory == tmp_path / "audio"


@pytest.mark.parametrize(
    ("endpoint", "style", "expected"),
    [("http://127.0.0.1:9000", "auto", "path"), ("", "auto", "auto"), ("http://minio:9000", "virtual", "virtual")],
)
def test_an_s3_store_is_built_for_its_bucket_and_endpoint(endpoint: str, style: str, expected: str) -> None:
    """s3:// builds the S3 store on that bucket; a custom endpoint means path-style addresses unless told."""
    settings = load_settings(
        audio_store="s3://tts-audio/live", s3_endpoint_url=endpoint, s3_region="eu-west-1", s3_addressing_style=style
    )
    store = build_audio_store(settings)
    assert isinstance(store, S3AudioStore)
    assert store.location == S3Location("tts-audio", "live")
    assert store.client.meta.region_name == "eu-west-1"
    assert store.client.meta.config.s3 == {"addressing_style": expected}  # type: ignore[attr-defined]
    if endpoint:
        assert store.client.meta.endpoint_url == endpoint


_SEGMENT = st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,10}", fullmatch=True).filter(lambda s: s not in (".", ".."))


@given(bucket=st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}[a-z0-9]", fullmatch=True), segments=st.lists(_SEGMENT))
def test_an_address_reads_back_as_itself(bucket: str, segments: list[str]) -> None:
    """A location written as s3://… parses back to the same bucket and prefix; keys sit under the prefix."""
    location = S3Location(bucket, "/".join(segments))
    assert parse_s3_url(str(location)) == location
    assert location.key_of("7.wav") == location.key_prefix + "7.wav"
