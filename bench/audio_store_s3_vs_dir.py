"""The S3 audio store (on moto's S3 server, loopback) against the directory store: save, read, delete per message.

Run: ``PYTHONPATH=src:. python bench/audio_store_s3_vs_dir.py [--messages 100] [--rounds 4] [--seconds 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.s3_audio_store import S3AudioStore, s3_client
from adapters.s3_location import S3Location
from tts_core.ports import AudioStore
from tts_core.speech import Speech


def _one_round(store: AudioStore, speech: Speech, messages: int) -> dict[str, float]:
    """Milliseconds per message for each operation."""
    timings: dict[str, float] = {}
    refs = [f"{i}.wav" for i in range(1, messages + 1)]
    for name, operation in (
        ("save", lambda ref: store.save(ref, speech)),
        ("read", store.read),
        ("delete", store.delete),
    ):
        started = time.perf_counter()
        for ref in refs:
            operation(ref)
        timings[name] = (time.perf_counter() - started) * 1000 / messages
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="speech per message (48 kB per second)")
    args = parser.parse_args()
    from moto.server import ThreadedMotoServer

    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_EC2_METADATA_DISABLED": "1"}
    )
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = s3_client(endpoint_url=f"http://{host}:{port}", region="us-east-1", addressing_style="path")
    client.create_bucket(Bucket="bench-audio")
    speech = Speech(pcm=b"\x01\x02" * int(24_000 * args.seconds), sample_rate=24_000)
    with tempfile.TemporaryDirectory() as scratch:
        stores: dict[str, AudioStore] = {
            "directory": FilesystemAudioStore(Path(scratch)),
            "s3 (moto)": S3AudioStore(client=client, location=S3Location("bench-audio", "bench")),
        }
        totals: dict[str, list[float]] = {name: [] for name in stores}
        print(f"{args.messages} messages of {args.seconds:g} s ({len(speech.pcm) + 44} bytes) per round and side")
        for number in range(1, args.rounds + 1):
            order = list(stores) if number % 2 else list(reversed(stores))  # alternate who goes first
            for name in order:
                timings = _one_round(stores[name], speech, args.messages)
                totals[name].append(sum(timings.values()))
                parts = "  ".join(f"{op} {ms:6.2f} ms" for op, ms in timings.items())
                print(f"round {number} {name:10}: {parts}  (all {sum(timings.values()):6.2f} ms)")
    server.stop()
    medians = {name: statistics.median(values) for name, values in totals.items()}
    print("median per message: " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in medians.items()))
    print(f"ratio s3/directory: {medians['s3 (moto)'] / medians['directory']:.1f}x")


if __name__ == "__main__":
    main()
