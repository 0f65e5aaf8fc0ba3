"""``GET /audio/{ref}``: a message's WAV file while it exists."""

from __future__ import annotations

from litestar import Response, get
from litestar.openapi import ResponseSpec
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from entrypoints.http.deps import AudioStoreDep
from entrypoints.http.errors import error_responses


@get(
    "/audio/{ref:str}",
    sync_to_thread=True,
    include_in_schema=True,
    tags=["audio"],
    media_type="audio/wav",
    responses={
        HTTP_200_OK: ResponseSpec(
            bytes, description="The WAV (24 kHz mono 16-bit)", media_type="audio/wav", generate_examples=False
        ),
        **error_responses(400, 404, 503),
    },
)
def audio_file(ref: FromPath[str], audio_store: AudioStoreDep) -> Response[bytes]:
    """The WAV of a ready or playing message; 404 once it is played, cleared or evicted; 503 while the audio
    store (a directory or an S3 bucket) cannot be read."""
    data = audio_store.read(ref)
    return Response(data, media_type="audio/wav", headers={"Cache-Control": "no-store"})
