"""WebSocket commands for the live voice settings (the same checks and events as the HTTP routes)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from entrypoints.http.voices_schemas import (
    RemovedBody,
    UserVoiceBody,
    as_json,
    pronunciation_body,
    pronunciations_body,
    user_voices_body,
    volumes_body,
)
from tts_core.model import QueueKind
from tts_core.services.voices import VoiceSettingsService

Short = Annotated[str, msgspec.Meta(max_length=200)]


class VoiceCommand(msgspec.Struct, tag_field="type", kw_only=True):
    """Base of the voice commands; ``request_id`` is echoed in the answer."""

    request_id: str | int | None = None


class UserVoices(VoiceCommand, tag="user_voices"):
    pass


class SetUserVoice(VoiceCommand, tag="set_user_voice"):
    user: Short
    voice: Short


class DeleteUserVoice(VoiceCommand, tag="delete_user_voice"):
    user: Short


class Pronunciations(VoiceCommand, tag="pronunciations"):
    pass


class SetPronunciation(VoiceCommand, tag="set_pronunciation"):
    word: Short
    say: Short | None = None
    phonemes: Short | None = None


class DeletePronunciation(VoiceCommand, tag="delete_pronunciation"):
    word: Short


class QueueVolumes(VoiceCommand, tag="queue_volumes"):
    pass


class SetQueueVolume(VoiceCommand, tag="set_queue_volume"):
    queue: Literal["mentions", "bits"]
    volume: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


AnyVoiceCommand = (
    UserVoices
    | SetUserVoice
    | DeleteUserVoice
    | Pronunciations
    | SetPronunciation
    | DeletePronunciation
    | QueueVolumes
    | SetQueueVolume
)
VOICE_COMMANDS = (
    "user_voices",
    "set_user_voice",
    "delete_user_voice",
    "pronunciations",
    "set_pronunciation",
    "delete_pronunciation",
    "queue_volumes",
    "set_queue_volume",
)


def run_voice_command(voices: VoiceSettingsService, command: AnyVoiceCommand) -> dict[str, Any]:
    """Carry out ``command``; the result is what the matching HTTP route answers."""
    match command:
        case UserVoices():
            return as_json(user_voices_body(voices.user_voices()))
        case SetUserVoice(user=user, voice=voice):
            name, mix = voices.set_user_voice(user, voice)
            return as_json(UserVoiceBody(user=name, voice=mix))
        case DeleteUserVoice(user=user):
            removed = voices.delete_user_voice(user)
            return as_json(RemovedBody(key=user.strip().lstrip("@").lower(), removed=removed))
        case Pronunciations():
            return as_json(pronunciations_body(voices.pronunciations()))
        case SetPronunciation(word=word, say=say, phonemes=phonemes):
            return as_json(pronunciation_body(voices.set_pronunciation(word, say=say, phonemes=phonemes)))
        case DeletePronunciation(word=word):
            removed = voices.delete_pronunciation(word)
            return as_json(RemovedBody(key=" ".join(word.split()).casefold(), removed=removed))
        case QueueVolumes():
            return as_json(volumes_body(voices.queue_volumes()))
        case SetQueueVolume(queue=queue, volume=volume):
            return {"queue": queue, "volume": voices.set_queue_volume(QueueKind(queue), volume)}
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover
