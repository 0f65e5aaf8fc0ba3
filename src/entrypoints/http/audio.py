"""``GET /audio/{ref}``: a message's WAV file while it exists."""

from __future__ import annotations

from litestar import Response, get
from litestar.params import FromPath

from entrypoints.http.deps import AudioStoreDep


@get("/audio/{ref:str}", sync_to_thread=True, include_in_schema=True, tags=["audio"])
def audio_file(ref: FromPath[str], audio_store: AudioStoreDep) -> Response[bytes]:
    """The WAV of a ready or playing message; 404 once it is played, cleared or evicted."""
    data = audio_store.read(ref)
    return Response(data, media_type="audio/wav", headers={"Cache-Control": "no-store"})
