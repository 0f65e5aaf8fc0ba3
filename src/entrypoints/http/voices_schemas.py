"""Request and response bodies of the voice settings (HTTP and WebSocket share the shapes)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from tts_core.model import QueueKind
from tts_core.pronunciation import MAX_PHONEMES_CHARS, MAX_SAY_CHARS, Pronunciation

MAX_PREVIEW_CHARS = 500

VoiceString = Annotated[str, msgspec.Meta(max_length=200, description="A voice mix: af_heart60_am_adam40 or af_heart")]


class UserVoiceRequest(msgspec.Struct):
    """``PUT /api/tts/user_voices/{user}``: the chatter's voice, checked like ``TTS_VOICE``."""

    voice: VoiceString


class PronunciationRequest(msgspec.Struct):
    """``PUT /api/tts/pronunciations/{word}``: either ``say`` (a respelling) or ``phonemes`` (Kokoro's alphabet)."""

    say: Annotated[str, msgspec.Meta(max_length=MAX_SAY_CHARS)] | None = None
    phonemes: Annotated[str, msgspec.Meta(max_length=MAX_PHONEMES_CHARS)] | None = None


class QueueVolumeRequest(msgspec.Struct):
    """``PUT /api/tts/queue_volumes/{queue}``: the OBS player's volume for the queue."""

    volume: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


class PreviewRequest(msgspec.Struct):
    """``POST /api/tts/preview``: speak ``text`` in ``voice`` (default: ``TTS_VOICE``) with the dictionary applied."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PREVIEW_CHARS)]
    voice: VoiceString | None = None


class UserVoiceBody(msgspec.Struct, kw_only=True):
    """A chatter's own voice."""

    user: str
    """The Twitch login, in lower case."""
    voice: str


class UserVoicesBody(msgspec.Struct, kw_only=True):
    """Every chatter with a voice of their own, by login."""

    user_voices: list[UserVoiceBody]
    count: int


class RemovedBody(msgspec.Struct, kw_only=True):
    """The answer to a delete: what was named and whether it existed."""

    key: str
    """The login or word, as stored (lower case)."""
    removed: bool


class PronunciationBody(msgspec.Struct, kw_only=True):
    """One dictionary entry: ``say`` or ``phonemes`` is set, the other is null."""

    word: str
    say: str | None
    phonemes: str | None


class PronunciationsBody(msgspec.Struct, kw_only=True):
    """The dictionary, ordered by word."""

    pronunciations: list[PronunciationBody]
    count: int


class QueueVolumesBody(msgspec.Struct, kw_only=True):
    """The OBS player's volume per queue (0.0–1.0), multiplied with the player page's ``?volume=``."""

    mentions: float
    bits: float


class QueueVolumeBody(msgspec.Struct, kw_only=True):
    """One queue's player volume."""

    queue: Literal["mentions", "bits"]
    volume: float


def user_voices_body(voices: dict[str, str]) -> UserVoicesBody:
    """The answer listing every chatter's voice."""
    listed = [UserVoiceBody(user=user, voice=voice) for user, voice in voices.items()]
    return UserVoicesBody(user_voices=listed, count=len(listed))


def pronunciation_body(entry: Pronunciation) -> PronunciationBody:
    """A dictionary entry as answered."""
    return PronunciationBody(word=entry.word, say=entry.say, phonemes=entry.phonemes)


def pronunciations_body(entries: list[Pronunciation]) -> PronunciationsBody:
    """The dictionary as answered."""
    return PronunciationsBody(pronunciations=[pronunciation_body(e) for e in entries], count=len(entries))


def volumes_body(volumes: dict[QueueKind, float]) -> QueueVolumesBody:
    """The volumes per queue as answered."""
    return QueueVolumesBody(mentions=volumes[QueueKind.MENTIONS], bits=volumes[QueueKind.BITS])


def as_json(body: msgspec.Struct) -> dict[str, Any]:
    """A body as the plain dict a WebSocket answer carries."""
    built: dict[str, Any] = msgspec.to_builtins(body)
    return built
