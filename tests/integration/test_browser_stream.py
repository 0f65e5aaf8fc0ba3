"""What goes out on stream, in real headless Chromium: the caption, a page that may not play sound, panel audio."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.live import live_server
from tests.integration.test_browser_panel import WAIT, chromium, pytestmark  # noqa: F401

webdriver = pytest.importorskip("selenium.webdriver")


def test_caption_shows_what_is_read_never_a_masked_word_or_a_link(tmp_path: Path) -> None:
    """With banned words masked, the player's caption is the spoken text: no banned word, no URL."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with (
        live_server(
            tmp_path / "data", playback_grace_seconds=600, banned_words="darn,heck", banned_word_action="mask"
        ) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/player.html?caption=1")
        body = driver.find_element(By.TAG_NAME, "body")
        wait.until(lambda d: body.get_attribute("data-connected") == "true")
        message = server.post_chat("@streamer what the darn is this heck https://evil.example/x")
        wait.until(lambda d: server.message(message["id"])["status"] == "ready")

        server.http.post("/api/tts/play")
        wait.until(lambda d: body.get_attribute("data-state") == "playing")
        caption = driver.find_element(By.ID, "caption-text").text
        assert caption == message["spoken_text"]
        for leaked in ("darn", "heck", "evil.example", "https"):
            assert leaked not in caption.lower()


def test_a_page_that_may_not_play_sound_sends_the_message_back_to_ready(tmp_path: Path) -> None:
    """Chromium's normal autoplay policy blocks the player: it reports a failure, the message is ready again
    (not played), the autoplay loop pauses, and the panel says audio was blocked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with (
        live_server(tmp_path / "data", playback_grace_seconds=600) as server,
        chromium(tmp_path / "profile", autoplay=False) as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        panel = driver.current_window_handle
        driver.switch_to.new_window("tab")
        driver.get(f"{server.base_url}/panel/player.html")
        body = driver.find_element(By.TAG_NAME, "body")
        wait.until(lambda d: body.get_attribute("data-connected") == "true")
        first = server.post_chat("@streamer nobody hears this")["id"]
        second = server.post_chat("@streamer nor this")["id"]
        wait.until(lambda d: server.message(second)["status"] == "ready")

        assert server.http.post("/api/tts/autoplay/start").json() == {"autoplay": True}
        assert server.http.post("/api/tts/play").json()["message"]["id"] == first
        wait.until(lambda d: body.get_attribute("data-state") == "blocked")
        assert "NotAllowedError" in (driver.find_element(By.ID, "audio").get_attribute("data-error") or "")
        wait.until(lambda d: server.message(first)["status"] == "ready")
        assert driver.find_element(By.ID, "audio").get_attribute("data-reported") is None
        assert server.message(second)["status"] == "ready"  # the loop paused: nothing else played unheard
        assert server.message(first)["audio_url"] is not None

        driver.switch_to.window(panel)
        alert = driver.find_element(By.ID, "audio-alert")
        wait.until(lambda d: alert.is_displayed())
        assert "not heard" in alert.text or "paused" in alert.text
        assert driver.find_element(By.ID, "enable-audio").text == "Click to enable audio"
        wait.until(lambda d: d.find_element(By.ID, "autoplay-state").text == "on")  # not "running"


def test_panel_audio_is_off_by_default_and_remembered(tmp_path: Path) -> None:
    """A fresh panel does not play the message it starts; once ticked, its audio stays on after a reload."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        assert not driver.find_element(By.ID, "sound").is_selected()
        message_id = server.post_chat("@streamer only on stream")["id"]
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#messages li[data-status='ready']"))

        driver.find_element(By.ID, "play").click()
        wait.until(lambda d: server.message(message_id)["status"] == "playing")
        wait.until(lambda d: "only on stream" in d.find_element(By.ID, "now-playing").text)
        audio = driver.find_element(By.ID, "audio")
        assert audio.get_attribute("data-state") == "idle"
        assert driver.execute_script("return arguments[0].paused", audio)

        driver.find_element(By.ID, "sound").click()
        driver.refresh()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        assert driver.find_element(By.ID, "sound").is_selected()
