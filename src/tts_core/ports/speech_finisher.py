"""Speech finisher port: the last step before speech is written, the same for the queue and the speech API."""

from __future__ import annotations

from typing import Protocol

from tts_core.speech import Speech


class SpeechFinisher(Protocol):
    """Makes every message sound alike: trims dead air and levels the loudness."""

    def finish(self, speech: Speech) -> Speech:
        """``speech`` ready to be written: the same sample rate, possibly shorter (silence trimmed) and
        louder or quieter. Silent speech comes back unchanged. Never raises for valid speech."""
        ...

    def stream(self) -> StreamFinisher:
        """A finisher for one stream of chunks, whose whole is not known while the first is sent."""
        ...


class StreamFinisher(Protocol):
    """Finishes the chunks of one stream, in order."""

    def next(self, speech: Speech) -> Speech:
        """The chunk ``speech`` finished as the stream so far allows (e.g. with the first chunk's gain)."""
        ...
