"""``/api/tts``: per-user voices, the pronunciation dictionary, player volumes, and a spoken preview."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import JSONBody, PathParameter, SkipValidation
from litestar.status_codes import HTTP_200_OK

from entrypoints.http.deps import SettingsDep, SynthesizerDep
from entrypoints.http.errors import error_responses
from entrypoints.http.responses import ErrorBody
from entrypoints.http.voices_schemas import (
    PreviewRequest,
    PronunciationBody,
    PronunciationRequest,
    PronunciationsBody,
    QueueVolumeBody,
    QueueVolumeRequest,
    QueueVolumesBody,
    RemovedBody,
    UserVoiceBody,
    UserVoiceRequest,
    UserVoicesBody,
    pronunciation_body,
    pronunciations_body,
    user_voices_body,
    volumes_body,
)
from entrypoints.preview import speak_preview
from tts_core.errors import EngineUnavailable, SynthesisFailed
from tts_core.model import QueueKind
from tts_core.ports import SpeechFinisher
from tts_core.services.voices import VoiceSettingsService

VoicesDep: TypeAlias = NamedDependency[SkipValidation[VoiceSettingsService]]
FinisherDep: TypeAlias = NamedDependency[SkipValidation[SpeechFinisher]]
User = Annotated[str, PathParameter(max_length=100, description="A Twitch login, any case; a leading @ is dropped.")]
Queue = Annotated[QueueKind, PathParameter(description="mentions or bits")]
Word = Annotated[str, PathParameter(max_length=100, description="A word or phrase, matched whole and in any case.")]

_WAV = ResponseSpec(None, description="The preview as a WAV file", media_type="audio/wav", generate_examples=False)


class VoicesController(Controller):
    """Voices and pronunciations the streamer sets live (each change is also a WebSocket event)."""

    path = "/api/tts"
    tags = ("voices",)

    @get("/user_voices", sync_to_thread=True, responses=error_responses(503))
    def user_voices(self, voices: VoicesDep) -> UserVoicesBody:
        """Every chatter with a voice of their own."""
        return user_voices_body(voices.user_voices())

    @put("/user_voices/{user:str}", sync_to_thread=True, responses=error_responses(400, 413, 503))
    def set_user_voice(self, user: User, data: JSONBody[UserVoiceRequest], voices: VoicesDep) -> UserVoiceBody:
        """Give a chatter a voice mix from their next message (checked like ``TTS_VOICE``; 400 names unknown voices)."""
        name, voice = voices.set_user_voice(user, data.voice)
        return UserVoiceBody(user=name, voice=voice)

    @delete(
        "/user_voices/{user:str}", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(400, 503)
    )
    def delete_user_voice(self, user: User, voices: VoicesDep) -> RemovedBody:
        """Send a chatter back to the default voice (``removed`` says whether they had one)."""
        return RemovedBody(key=_login_key(user), removed=voices.delete_user_voice(user))

    @get("/pronunciations", sync_to_thread=True, responses=error_responses(503))
    def pronunciations(self, voices: VoicesDep) -> PronunciationsBody:
        """The pronunciation dictionary, ordered by word."""
        return pronunciations_body(voices.pronunciations())

    @put("/pronunciations/{word:str}", sync_to_thread=True, responses=error_responses(400, 413, 503))
    def set_pronunciation(
        self, word: Word, data: JSONBody[PronunciationRequest], voices: VoicesDep
    ) -> PronunciationBody:
        """Say a word (or a username) as ``say`` or with ``phonemes`` in messages queued from now on."""
        return pronunciation_body(voices.set_pronunciation(word, say=data.say, phonemes=data.phonemes))

    @delete(
        "/pronunciations/{word:str}", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(400, 503)
    )
    def delete_pronunciation(self, word: Word, voices: VoicesDep) -> RemovedBody:
        """Forget how a word is said (``removed`` says whether it had an entry)."""
        removed = voices.delete_pronunciation(word)
        return RemovedBody(key=" ".join(word.split()).casefold(), removed=removed)

    @get("/queue_volumes", sync_to_thread=True, responses=error_responses(503))
    def queue_volumes(self, voices: VoicesDep) -> QueueVolumesBody:
        """The OBS player's volume per queue."""
        return volumes_body(voices.queue_volumes())

    @put("/queue_volumes/{queue:str}", sync_to_thread=True, responses=error_responses(400, 413, 503))
    def set_queue_volume(self, queue: Queue, data: JSONBody[QueueVolumeRequest], voices: VoicesDep) -> QueueVolumeBody:
        """Set the OBS player's volume for a queue (0.0–1.0, persisted)."""
        volume = voices.set_queue_volume(queue, data.volume)
        return QueueVolumeBody(queue=queue.value, volume=volume)

    @post(
        "/preview",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses={HTTP_200_OK: _WAV, **error_responses(400, 413, 503)},
    )
    def preview(
        self,
        data: JSONBody[PreviewRequest],
        voices: VoicesDep,
        synthesizer: SynthesizerDep,
        finisher: FinisherDep,
        settings: SettingsDep,
    ) -> Response[bytes | ErrorBody]:
        """Speak a text in a voice as a queued message would sound (dictionary applied, levelled), as WAV."""
        try:
            wav = speak_preview(
                data.text,
                voice=data.voice,
                voices=voices,
                synthesizer=synthesizer,
                finisher=finisher,
                wait_seconds=settings.speech_wait_seconds,
            )
        except SynthesisFailed as error:
            return Response(ErrorBody(status_code=400, detail=f"text: {error}", field="text"), status_code=400)
        except EngineUnavailable as error:
            detail = f"the speech engine is not ready or busy: {error}; try again"
            return Response(ErrorBody(status_code=503, detail=detail), status_code=503)
        return Response(wav, media_type="audio/wav")


def _login_key(user: str) -> str:
    return user.strip().lstrip("@").lower()
