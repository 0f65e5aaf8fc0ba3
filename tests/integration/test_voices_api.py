"""The voice settings over HTTP and the WebSocket, on the real app with SQLite and the tone engine."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from typing import Any

from adapters.memory_voices import KnownVoiceCatalog
from tests.integration.conftest import settled, wait_until

KNOWN = frozenset({"af_heart", "am_adam", "am_echo", "bm_george"})


def test_user_voices_are_set_listed_used_and_deleted(running_app: Callable[..., Any]) -> None:
    """PUT stores a checked voice for a login (any case), the sender's next message uses it, DELETE removes it."""
    with running_app(providers={"voice_catalog": KnownVoiceCatalog(KNOWN)}) as client:
        put = client.put("/api/tts/user_voices/@VIP_Fan", json={"voice": "af_heart60_am_adam40"})
        assert put.status_code == 200, put.text
        assert put.json() == {"user": "vip_fan", "voice": "af_heart60_am_adam40"}
        listed = client.get("/api/tts/user_voices").json()
        assert listed == {"user_voices": [{"user": "vip_fan", "voice": "af_heart60_am_adam40"}], "count": 1}
        message = client.post("/api/tts/add_message", json={"sent_by": "Vip_Fan", "text": "@streamer hi"}).json()
        assert message["voice"] == "af_heart60_am_adam40"
        assert client.delete("/api/tts/user_voices/vip_fan").json() == {"key": "vip_fan", "removed": True}
        assert client.delete("/api/tts/user_voices/vip_fan").json() == {"key": "vip_fan", "removed": False}
        assert client.get("/api/tts/user_voices").json()["count"] == 0


def test_an_unknown_voice_is_a_400_naming_it(running_app: Callable[..., Any]) -> None:
    """A voice the engine does not have, or an unreadable mix, is refused naming the voice; nothing is stored."""
    with running_app(providers={"voice_catalog": KnownVoiceCatalog(KNOWN)}) as client:
        unknown = client.put("/api/tts/user_voices/fan", json={"voice": "af_heart50_am_nobody50"})
        assert unknown.status_code == 400
        assert unknown.json()["field"] == "voice"
        assert "am_nobody" in unknown.json()["detail"]
        unreadable = client.put("/api/tts/user_voices/fan", json={"voice": "af_heart50_am_adam"})
        assert (unreadable.status_code, unreadable.json()["field"]) == (400, "voice")
        bad_user = client.put("/api/tts/user_voices/two%20words", json={"voice": "af_heart"})
        assert (bad_user.status_code, bad_user.json()["field"]) == (400, "user")
        assert client.get("/api/tts/user_voices").json()["count"] == 0


def test_user_voices_setting_seeds_the_table(running_app: Callable[..., Any]) -> None:
    """TTS_USER_VOICES is stored at start-up, so it shows in the list and can be edited."""
    with running_app(user_voices={"@OldFan": "am_adam"}) as client:
        assert client.get("/api/tts/user_voices").json()["user_voices"] == [{"user": "oldfan", "voice": "am_adam"}]


def test_viewer_voice_commands_answer_a_reason_and_set_the_voice(running_app: Callable[..., Any]) -> None:
    """With TTS_VIEWER_VOICES, !voice robot answers voice_set (nothing queued) and the sender's voice is stored."""
    with running_app(viewer_voices={"robot": "am_echo"}) as client:
        answer = client.post("/api/tts/add_message", json={"sent_by": "fan", "text": "!voice robot"})
        assert answer.status_code == 200
        assert answer.json()["reason"] == "voice_set"
        unknown = client.post("/api/tts/add_message", json={"sent_by": "fan", "text": "!voice pirate"}).json()
        assert unknown["reason"] == "voice_unknown"
        assert client.get("/api/tts/user_voices").json()["user_voices"] == [{"user": "fan", "voice": "am_echo"}]
        reset = client.post("/api/tts/add_message", json={"sent_by": "fan", "text": "!voice reset"}).json()
        assert reset["reason"] == "voice_reset"
        assert client.get("/api/tts/messages").json()["count"] == 0


def test_pronunciations_are_set_listed_used_and_deleted(running_app: Callable[..., Any]) -> None:
    """A respelling shows in spoken_text of the next message; phonemes do not; entries are listed and deleted."""
    with running_app() as client:
        said = client.put("/api/tts/pronunciations/GG", json={"say": "good game"})
        assert said.json() == {"word": "gg", "say": "good game", "phonemes": None}
        phonemes = client.put("/api/tts/pronunciations/kokoro", json={"phonemes": "kˈOkəɹO"})
        assert phonemes.status_code == 200
        message = client.post("/api/tts/add_message", json={"sent_by": "fan", "text": "@streamer gg kokoro"}).json()
        assert message["spoken_text"] == "fan says: good game kokoro"
        listed = client.get("/api/tts/pronunciations").json()
        assert [p["word"] for p in listed["pronunciations"]] == ["gg", "kokoro"]
        assert client.delete("/api/tts/pronunciations/gg").json() == {"key": "gg", "removed": True}
        both = client.put("/api/tts/pronunciations/gg", json={"say": "a", "phonemes": "b"})
        assert (both.status_code, both.json()["field"]) == (400, "say")
        assert client.put("/api/tts/pronunciations/gg!", json={"say": "a"}).json()["field"] == "word"
        wait_until(lambda: settled(client))


def test_queue_volumes_are_persisted(running_app: Callable[..., Any]) -> None:
    """PUT a queue's player volume; GET returns it; outside 0–1 or an unknown queue is a 400."""
    with running_app() as client:
        assert client.get("/api/tts/queue_volumes").json() == {"mentions": 1.0, "bits": 1.0}
        assert client.put("/api/tts/queue_volumes/bits", json={"volume": 0.3}).json() == {
            "queue": "bits",
            "volume": 0.3,
        }
        assert client.get("/api/tts/queue_volumes").json() == {"mentions": 1.0, "bits": 0.3}
        assert client.put("/api/tts/queue_volumes/bits", json={"volume": 1.5}).status_code == 400
        assert client.put("/api/tts/queue_volumes/nope", json={"volume": 0.5}).status_code == 400


def test_preview_speaks_the_text_as_a_levelled_wav(running_app: Callable[..., Any]) -> None:
    """POST /preview answers a WAV of the text (dictionary applied); nothing speakable is a 400 on text."""
    with running_app() as client:
        response = client.post("/api/tts/preview", json={"text": "hello chat", "voice": "am_adam"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("audio/wav")
        with wave.open(io.BytesIO(response.content)) as wav:
            assert wav.getnframes() > 0
        empty = client.post("/api/tts/preview", json={"text": "..."})
        assert (empty.status_code, empty.json()["field"]) == (400, "text")


def test_voice_commands_over_the_websocket_answer_and_announce(running_app: Callable[..., Any]) -> None:
    """set_user_voice, set_pronunciation and set_queue_volume answer ok and every client gets the event."""
    with running_app() as client, client.websocket_connect("/api/tts/ws") as socket:
        assert socket.receive_json()["type"] == "snapshot"
        socket.send_json({"type": "set_user_voice", "user": "Fan", "voice": "am_echo", "request_id": 1})
        frames = [socket.receive_json(), socket.receive_json()]
        assert frames[0] == {"type": "user_voice_changed", "user": "fan", "voice": "am_echo", "seq": frames[0]["seq"]}
        assert frames[1]["result"] == {"user": "fan", "voice": "am_echo"}
        socket.send_json({"type": "set_pronunciation", "word": "gg", "say": "good game"})
        event, answer = socket.receive_json(), socket.receive_json()
        assert (event["type"], event["word"], event["say"]) == ("pronunciation_changed", "gg", "good game")
        assert answer["type"] == "ok"
        socket.send_json({"type": "set_queue_volume", "queue": "mentions", "volume": 0.5})
        event, answer = socket.receive_json(), socket.receive_json()
        assert (event["type"], event["queue"], event["volume"]) == ("queue_volume_changed", "mentions", 0.5)
        socket.send_json({"type": "queue_volumes"})
        assert socket.receive_json()["result"] == {"mentions": 0.5, "bits": 1.0}
        socket.send_json({"type": "set_user_voice", "user": "fan", "voice": "x50"})
        error = socket.receive_json()
        assert (error["type"], error["code"], error["field"]) == ("error", "invalid_input", "voice")
        socket.send_json({"type": "delete_pronunciation", "word": "gg"})
        event, answer = socket.receive_json(), socket.receive_json()
        assert (event["say"], event["phonemes"], answer["result"]) == (None, None, {"key": "gg", "removed": True})


def test_options_lists_put_and_delete_of_an_entry(running_app: Callable[..., Any]) -> None:
    """OPTIONS on a user voice or a pronunciation lists both of its methods (Litestar 2 would list one)."""
    with running_app() as client:
        for path in ("/api/tts/user_voices/fan", "/api/tts/pronunciations/gg", "/api/tts/queue_volumes/bits"):
            allowed = set(client.options(path).headers["allow"].split(", "))
            assert allowed == ({"OPTIONS", "PUT"} if "volumes" in path else {"DELETE", "OPTIONS", "PUT"})
