"""A real ``tts-server serve`` reading chat from a fake Twitch server: settings from the environment, the token
kept out of the log, and a clean exit on SIGTERM while connected."""

from __future__ import annotations

from pathlib import Path

from tests.integration.process import serve, wait_for
from tests.twitch_fake import FakeTwitchServer, privmsg

TOKEN = "proc3ss-t0ken-secret"


def test_serve_reads_twitch_chat_and_keeps_the_token_out_of_the_log(tmp_path: Path) -> None:
    """TTS_TWITCH_* from the environment: it logs in with the token, queues a mention, exits 0 on SIGTERM, and
    the token is nowhere in the log."""
    data = tmp_path / "data"
    data.mkdir()
    with FakeTwitchServer() as twitch:
        env = {
            "TTS_TWITCH_CHANNEL": "#Streamer",
            "TTS_TWITCH_IRC_URL": twitch.url,
            "TTS_TWITCH_OAUTH_TOKEN": TOKEN,
            "TTS_LOG_LEVEL": "DEBUG",
        }
        with serve(data, **env) as served:
            connection = twitch.joined()
            assert connection.received[1:3] == [f"PASS oauth:{TOKEN}", "NICK streamer"]
            wait_for(lambda: served.http.get("/api/tts/twitch").json()["state"] == "connected", "connected")
            connection.send(privmsg("viewer", "@streamer from twitch", id="tw-proc"))
            wait_for(lambda: len(served.messages(queue="mentions")) == 1, "the mention queued")
            assert served.messages(queue="mentions")[0]["twitch_message_id"] == "tw-proc"
            served.process.terminate()
            assert served.process.wait(15) == 0
        twitch.wait_for(lambda: connection.closed)
    log = (data / "server.log").read_text()
    assert "Twitch chat: joined #streamer" in log
    assert TOKEN not in log  # (the PASS line at DEBUG: test_twitch_irc_client.py, with caplog)
