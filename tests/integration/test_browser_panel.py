"""The web panel in real headless Chromium: live counter, Play, audio playback and the reported end."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.live import live_server

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = Path("/tmp/panel.png")
WAIT = 15.0

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
        reason="needs Debian chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")


@contextmanager
def chromium(profile_dir: Path, *, autoplay: bool = True) -> Iterator[Chrome]:
    """Headless Chromium driven through the system chromedriver; Selenium Manager never runs (paths are given).

    ``autoplay=False`` keeps Chromium's normal policy: a page nobody clicked may not play sound.
    """
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=900,820",
        f"--user-data-dir={profile_dir}",
        *(("--autoplay-policy=no-user-gesture-required",) if autoplay else ()),
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_panel_counts_messages_plays_audio_and_reports_the_end(tmp_path: Path) -> None:
    """Two mentions show as 2; Play starts the page's audio; the page reports the end and the message is played."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # a long grace period: only the page's report, not the server's timeout, can make the message played
    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        assert driver.find_element(By.ID, "queue-size").text == "0"

        first = server.post_chat("@streamer first")["id"]
        second = server.post_chat("@streamer second")["id"]
        wait.until(lambda d: d.find_element(By.ID, "queue-size").text == "2")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li[data-status='ready']")) == 2)

        enable_panel_audio(driver)
        driver.find_element(By.ID, "play").click()
        audio = driver.find_element(By.ID, "audio")
        wait.until(lambda d: audio.get_attribute("data-state") == "playing")
        assert driver.execute_script("return !arguments[0].paused && arguments[0].currentTime >= 0", audio)
        assert audio.get_attribute("data-message-id") == str(first)
        assert server.message(first)["status"] == "playing"
        wait.until(lambda d: "says: first" in d.find_element(By.ID, "now-playing").text)
        driver.save_screenshot(str(SCREENSHOT))

        wait.until(lambda d: server.message(first)["status"] == "played")
        assert audio.get_attribute("data-reported") == str(first)
        assert audio.get_attribute("data-state") == "ended"
        wait.until(lambda d: d.find_element(By.ID, "queue-size").text == "1")
        remaining = driver.find_elements(By.CSS_SELECTOR, "#messages li")
        assert [item.get_attribute("data-id") for item in remaining] == [str(second)]
        assert server.message(second)["status"] == "ready"


def test_obs_player_plays_play_frames_and_reports_their_end(tmp_path: Path) -> None:
    """The player page plays a message started over HTTP, shows its caption and reports its end."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/player.html?caption=1")
        body = driver.find_element(By.TAG_NAME, "body")
        wait.until(lambda d: body.get_attribute("data-connected") == "true")
        message_id = server.post_chat("@streamer read me")["id"]
        wait.until(lambda d: server.message(message_id)["status"] == "ready")

        assert server.http.post("/api/tts/play").json()["message"]["id"] == message_id
        wait.until(lambda d: body.get_attribute("data-state") == "playing")
        assert driver.find_element(By.ID, "caption").is_displayed()
        assert driver.find_element(By.ID, "caption-text").text == "viewer says: read me"
        wait.until(lambda d: server.message(message_id)["status"] == "played")
        assert driver.find_element(By.ID, "audio").get_attribute("data-reported") == str(message_id)


def test_panel_opened_with_a_token_connects_plays_and_links_the_player_with_it(tmp_path: Path) -> None:
    """With TTS_API_TOKEN, /panel/?token= connects its WebSocket, plays the audio and passes the token on."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    token = "panel-token-5d1e"
    with (
        live_server(tmp_path / "data", playback_grace_seconds=600, api_token=token) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/?token={token}")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        message_id = server.post_chat("@streamer with a token")["id"]
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li[data-status='ready']")) == 1)

        enable_panel_audio(driver)
        driver.find_element(By.ID, "play").click()
        audio = driver.find_element(By.ID, "audio")
        wait.until(lambda d: audio.get_attribute("data-state") == "playing")  # the audio URL carried the token
        wait.until(lambda d: server.message(message_id)["status"] == "played")
        assert audio.get_attribute("data-state") == "ended"
        link = driver.find_element(By.ID, "player-link").get_attribute("href")
        assert link == f"{server.base_url}/panel/player.html?token={token}"


LONG = "@streamer " + "this goes on and on " * 12
"""About 20 seconds of tone audio: still playing when the moderator acts."""


def enable_panel_audio(driver: Chrome) -> None:
    """Tick "Play audio in this page" (off by default: the OBS player is the output)."""
    from selenium.webdriver.common.by import By

    sound = driver.find_element(By.ID, "sound")
    if not sound.is_selected():
        sound.click()


def listed_ids(driver: Chrome) -> list[str]:
    """The ids of the listed messages, read in one go (the list may be redrawn between two reads)."""
    ids: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#messages li')].map((li) => li.dataset.id)"
    )
    return ids


def click(driver: Chrome, css: str) -> None:
    """Click the element ``css`` finds; the list is redrawn on every change, so a row found a moment ago may be
    gone: find it again until the click lands."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def clicked(d: Chrome) -> bool:
        try:
            d.find_element("css selector", css).click()
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        return True

    WebDriverWait(driver, WAIT, poll_frequency=0.02).until(clicked)


def test_panel_deletes_a_queued_message_with_its_button(tmp_path: Path) -> None:
    """The delete button of a waiting message removes it from the list and the queue (moderated); the other stays."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        doomed = server.post_chat("@streamer something the mods hate")["id"]
        kept = server.post_chat("@streamer something fine")["id"]
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li")) == 2)

        click(driver, f"#messages li[data-id='{doomed}'] button.delete")
        wait.until(lambda d: listed_ids(d) == [str(kept)])
        gone = server.message(doomed)
        assert (gone["status"], gone["deletion_reason"]) == ("deleted", "moderated")
        assert server.message(kept)["status"] in ("pending", "synthesizing", "ready")
        wait.until(lambda d: d.find_element(By.ID, "queue-size").text == "1")


def test_panel_bans_the_sender_of_the_playing_message_and_it_stops_at_once(tmp_path: Path) -> None:
    """The sender's name opens the menu; Ban stops their playing message in the page within a second, lists
    them as muted, and Unmute lifts it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        response = server.http.post("/api/tts/add_message", json={"sent_by": "Troll", "text": LONG})
        message_id = response.json()["id"]
        wait.until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f"#messages li[data-id='{message_id}'][data-status='ready']")
        )
        enable_panel_audio(driver)
        driver.find_element(By.ID, "play").click()
        audio = driver.find_element(By.ID, "audio")
        wait.until(lambda d: audio.get_attribute("data-state") == "playing")
        row = f"#messages li[data-id='{message_id}']"
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{row}[data-status='playing'] button.skip"))

        click(driver, f"{row} .who")
        click(driver, "#mod-menu button.ban")
        WebDriverWait(driver, 1.0, poll_frequency=0.02).until(lambda d: audio.get_attribute("data-state") == "stopped")
        assert driver.execute_script("return arguments[0].paused", audio)
        assert audio.get_attribute("data-reported") is None  # silenced, not reported as played
        gone = server.message(message_id)
        assert (gone["status"], gone["deletion_reason"]) == ("deleted", "moderated")
        wait.until(lambda d: d.find_element(By.ID, "now-playing").text == "—")
        wait.until(lambda d: d.find_element(By.ID, "mutes").is_displayed())
        assert driver.find_element(By.CSS_SELECTOR, "#mute-list li").get_attribute("data-user") == "troll"

        click(driver, "#mute-list li[data-user='troll'] button.unmute")
        wait.until(lambda d: not d.find_element(By.ID, "mutes").is_displayed())
        assert server.http.get("/api/tts/moderation/muted").json()["count"] == 0


def test_obs_player_stops_a_message_a_moderator_deletes(tmp_path: Path) -> None:
    """The player page stops the playing message within a second of its deletion by Twitch id."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/player.html")
        body = driver.find_element(By.TAG_NAME, "body")
        wait.until(lambda d: body.get_attribute("data-connected") == "true")
        message_id = server.post_chat(LONG, twitch_message_id="tw-live")["id"]
        wait.until(lambda d: server.message(message_id)["status"] == "ready")
        assert server.http.post("/api/tts/play").json()["message"]["id"] == message_id
        wait.until(lambda d: body.get_attribute("data-state") == "playing")

        removed = server.http.post("/api/tts/moderation/delete_message", json={"twitch_message_id": "tw-live"})
        assert removed.json() == {"removed": [message_id]}
        WebDriverWait(driver, 1.0, poll_frequency=0.02).until(lambda d: body.get_attribute("data-state") == "stopped")
        assert driver.find_element(By.ID, "audio").get_attribute("data-reported") is None


# Hands a frame to the panel's own socket (other modules, such as voices.js, keep sockets of their own): the same
# module instance the page runs, so its own handler sees the frame as if the server had sent it.
_DELIVER = """
const [frame, done] = arguments;
import("/panel/panel.js").then(({ live }) => {
  live.socket.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(frame) }));
  done();
});
"""


def test_panel_ignores_event_frames_older_than_what_it_applied(tmp_path: Path) -> None:
    """A frame whose seq is not above the last applied one changes nothing; a newer message_requeued does."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        message_id = server.post_chat("@streamer fresh news")["id"]
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li[data-status='ready']")) == 1)
        wait.until(lambda d: d.find_element(By.ID, "queue-size").text == "1")
        message = server.message(message_id)

        # seq 1 and 2 were this message's message_queued and queue_changed: long applied (it is ready since)
        stale_counts = {"queue": "mentions", "active_queue": "mentions", "queue_size": 99, "pending": 99}
        driver.execute_async_script(
            _DELIVER, {"type": "message_queued", "seq": 1, "message": {**message, "status": "pending"}}
        )
        driver.execute_async_script(_DELIVER, {"type": "queue_changed", "seq": 2, **stale_counts})
        row = driver.find_element(By.CSS_SELECTOR, f"#messages li[data-id='{message_id}']")
        assert row.get_attribute("data-status") == "ready"
        assert driver.find_element(By.ID, "queue-size").text == "1"

        # the same handler applies a newer frame: its file went missing, the message is pending again
        requeued = {"type": "message_requeued", "seq": 10**9, "message": {**message, "status": "pending"}}
        driver.execute_async_script(_DELIVER, requeued)
        row = driver.find_element(By.CSS_SELECTOR, f"#messages li[data-id='{message_id}']")
        assert row.get_attribute("data-status") == "pending"
