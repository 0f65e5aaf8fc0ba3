"""The S3 audio store on moto's S3 server: keys under the prefix, paging, foreign names, and its errors."""

from __future__ import annotations

import io
import logging
import threading
import wave
from pathlib import Path

import pytest

from adapters.s3_audio_store import S3AudioStore, s3_client
from adapters.s3_location import S3Location
from entrypoints.audio_stores import build_audio_store
from entrypoints.settings import load_settings
from tests.integration.process import free_port
from tests.integration.s3_emulator import S3Emulator, isolated_aws_environment
from tts_core import AudioNotFound, AudioStoreError, Speech

SPEECH = Speech(pcm=b"\x01\x02" * 2_400, sample_rate=24_000)


def test_objects_live_under_the_prefix_and_refs_pages_through_them(s3_emulator: S3Emulator) -> None:
    """refs() lists every WAV under the prefix across several pages, and nothing else in the bucket."""
    bucket = s3_emulator.new_bucket()
    store = s3_emulator.store(bucket, prefix="channel/audio", page_size=2)
    saved = {store.save(f"{i}.wav", SPEECH).ref for i in range(1, 6)} | {store.save("6-2.wav", SPEECH).ref}
    raw = s3_emulator.client()
    for key in ("other/7.wav", "channel/audio/nested/8.wav", "channel/audio/notes.txt", "9.wav"):
        raw.put_object(Bucket=bucket, Key=key, Body=b"not ours")
    store.check()
    assert store.refs() == sorted(saved)
    assert "channel/audio/1.wav" in s3_emulator.keys(bucket)


def test_two_prefixes_in_one_bucket_do_not_see_each_other(s3_emulator: S3Emulator) -> None:
    """Deleting or listing in one store leaves another prefix of the same bucket alone."""
    bucket = s3_emulator.new_bucket()
    first, second = s3_emulator.store(bucket, prefix="a"), s3_emulator.store(bucket, prefix="a/b")
    first.save("1.wav", SPEECH)
    second.save("1.wav", SPEECH)
    first.delete("1.wav")
    assert (first.refs(), second.refs()) == ([], ["1.wav"])
    assert second.exists("1.wav")


def test_names_that_are_not_audio_refs_are_never_read(s3_emulator: S3Emulator) -> None:
    """Only <id>.wav keys under the prefix are reachable: other keys read as not found, nothing is requested."""
    bucket = s3_emulator.new_bucket()
    s3_emulator.client().put_object(Bucket=bucket, Key="tts/secret.txt", Body=b"no")
    store = s3_emulator.store(bucket, prefix="tts/audio")
    for ref in ("../secret.txt", "secret.txt", "/etc/passwd", "1.wav/../../secret.txt"):
        with pytest.raises(AudioNotFound):
            store.read(ref)
        assert not store.exists(ref)
        store.delete(ref)
    assert s3_emulator.keys(bucket) == ["tts/secret.txt"]


def test_a_reader_never_sees_part_of_an_object_being_replaced(s3_emulator: S3Emulator) -> None:
    """While one thread saves long and short speech in turn, every read is one of the two whole WAVs."""
    store = s3_emulator.store(s3_emulator.new_bucket())
    long, short = Speech(pcm=b"\x03\x04" * 48_000, sample_rate=24_000), SPEECH
    store.save("1.wav", short)
    done = threading.Event()

    def writer() -> None:
        for turn in range(20):
            store.save("1.wav", long if turn % 2 == 0 else short)
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    sizes = set()
    while not done.is_set():
        data = store.read("1.wav")
        with wave.open(io.BytesIO(data)) as wav:
            assert len(data) == 44 + wav.getnframes() * 2
        sizes.add(len(data))
    thread.join()
    assert sizes <= {44 + len(long.pcm), 44 + len(short.pcm)}


def test_a_missing_bucket_is_an_audio_store_error_naming_it(s3_emulator: S3Emulator) -> None:
    """Every use of a bucket that does not exist says so, with its name, as AudioStoreError."""
    store = s3_emulator.store("tts-no-such-bucket")
    for use in (lambda: store.save("1.wav", SPEECH), lambda: store.read("1.wav"), store.refs, store.check):
        with pytest.raises(AudioStoreError, match="bucket tts-no-such-bucket does not exist"):
            use()
    with pytest.raises(AudioStoreError):
        store.delete("1.wav")


def test_an_endpoint_that_is_down_is_an_audio_store_error(fake_aws_credentials: None) -> None:
    """Nothing listening at the endpoint: AudioStoreError saying the bucket cannot be reached."""
    client = s3_client(endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1", addressing_style="path")
    store = S3AudioStore(client=client, location=S3Location("tts-audio"))
    for use in (lambda: store.save("1.wav", SPEECH), lambda: store.read("1.wav"), store.refs, store.check):
        with pytest.raises(AudioStoreError, match="bucket tts-audio cannot be reached"):
            use()


def test_no_credentials_anywhere_is_an_audio_store_error_saying_so(
    s3_emulator: S3Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without AWS credentials the store names the variables to set instead of failing obscurely."""
    bucket = s3_emulator.new_bucket()
    for name, value in isolated_aws_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    store = S3AudioStore(client=s3_emulator.new_client(), location=S3Location(bucket))
    with pytest.raises(AudioStoreError, match=r"no credentials .* AWS_ACCESS_KEY_ID"):
        store.check()


def test_debug_logging_never_prints_the_credentials(
    s3_emulator: S3Emulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With TTS_LOG_LEVEL=DEBUG the store's requests are made without their secret token reaching the log."""
    bucket = s3_emulator.new_bucket()
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token-kept-secret")
    loggers = [logging.getLogger(name) for name in ("botocore", "boto3", "s3transfer")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.NOTSET)  # as in a fresh process
    try:
        caplog.set_level(logging.DEBUG)
        settings = load_settings(audio_store=f"s3://{bucket}/tts", s3_endpoint_url=s3_emulator.endpoint_url)
        store = build_audio_store(settings)
        store.save("1.wav", SPEECH)
        store.check()
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    assert "session-token-kept-secret" not in caplog.text
    assert "testing-secret" not in caplog.text
