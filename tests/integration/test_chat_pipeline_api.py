"""The chat pipeline through the API: text and spoken text stored and returned, reasons for what is not read."""

from __future__ import annotations

from typing import Any

import pytest

API = "/api/tts"


def test_text_and_spoken_text_are_stored_and_returned(running_app: Any) -> None:
    """The original chat text is kept; the spoken text is cleaned and templated; both survive a read-back."""
    with running_app(max_chars=40) as client:
        text = "@streamer hahahahahahaha check https://clips.twitch.tv/abc this is a long message indeed friends"
        created = client.post(f"{API}/add_message", json={"sent_by": "xX_g4mer_42_Xx", "text": text}).json()
        stored = client.get(f"{API}/messages/{created['id']}").json()
        assert stored["text"] == text
        assert stored["spoken_text"] == created["spoken_text"]
        spoken = stored["spoken_text"]
        assert "https" not in spoken
        assert "@" not in spoken
        assert "hahahahaha" not in spoken
        assert spoken.split(" says: ", 1)[1] == spoken.split(" says: ", 1)[1][:40]


def test_bits_template_and_user_voice(running_app: Any) -> None:
    """Bits use their template with the amount; a per-user voice is stored on the message."""
    with running_app(user_voices={"vipviewer": "af_heart"}) as client:
        created = client.post(
            f"{API}/add_message",
            json={"sent_by": "VipViewer", "text": "Cheer500 great stream", "message_type": "bits", "bits_amount": 500},
        ).json()
        assert "500" in created["spoken_text"]
        assert "Cheer500" not in created["spoken_text"]
        assert created["voice"] == "af_heart"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"sent_by": "Nightbot", "text": "@streamer follow the rules"}, "blocked_user"),
        ({"sent_by": "someone_blocked", "text": "@streamer hi"}, "blocked_user"),
        ({"sent_by": "v", "text": "!uptime @streamer"}, "command"),
        ({"sent_by": "v", "text": "@streamer PogChamp Kappa"}, "emote_only"),
        ({"sent_by": "v", "text": "@streamer darn it"}, "banned_word"),
        ({"sent_by": "v", "text": "cheer", "message_type": "bits", "bits_amount": 50}, "below_min_bits"),
        ({"sent_by": "v", "text": "no mention here"}, "no_mention"),
    ],
)
def test_every_reason_reaches_the_caller(running_app: Any, body: dict[str, Any], reason: str) -> None:
    """Messages that are not read answer 200 queued:false with the reason code and a sentence."""
    settings = {"blocked_users": "someone_blocked", "banned_words": "darn", "min_bits": 100}
    with running_app(**settings) as client:
        response = client.post(f"{API}/add_message", json=body)
        assert response.status_code == 200
        assert response.json()["queued"] is False
        assert response.json()["reason"] == reason
        assert response.json()["detail"]
        assert "darn" not in response.json()["detail"]
