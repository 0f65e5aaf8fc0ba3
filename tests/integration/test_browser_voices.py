"""The panel's voice settings and the player's volume in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.live import live_server
from tests.integration.test_browser_panel import CHROMEDRIVER, CHROMIUM, WAIT, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
        reason="needs Debian chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)",
    ),
]
pytest.importorskip("selenium.webdriver")


def test_panel_edits_a_user_voice_and_a_pronunciation_that_the_next_message_uses(tmp_path: Path) -> None:
    """Set in the panel, a voice and a respelling are stored, listed, used by the next message, and removable."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")

        driver.find_element(By.ID, "user-voice-user").send_keys("VIP_Fan")
        driver.find_element(By.ID, "user-voice-voice").send_keys("af_heart60_am_adam40")
        driver.find_element(By.CSS_SELECTOR, "#user-voice-form button").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#user-voices li[data-key='vip_fan']"))
        stored = server.http.get("/api/tts/user_voices").json()["user_voices"]
        assert stored == [{"user": "vip_fan", "voice": "af_heart60_am_adam40"}]

        driver.find_element(By.ID, "pronunciation-word").send_keys("gg")
        driver.find_element(By.ID, "pronunciation-value").send_keys("good game")
        driver.find_element(By.CSS_SELECTOR, "#pronunciation-form button").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pronunciations li[data-key='gg']"))
        assert "good game" in driver.find_element(By.CSS_SELECTOR, "#pronunciations li[data-key='gg']").text

        response = server.http.post("/api/tts/add_message", json={"sent_by": "vip_fan", "text": "@streamer gg"})
        message = response.json()
        assert (message["spoken_text"], message["voice"]) == ("vip fan says: good game", "af_heart60_am_adam40")

        driver.find_element(By.ID, "user-voice-voice").send_keys("_nobody7")  # adds up to 107 %: shown, not stored
        driver.find_element(By.CSS_SELECTOR, "#user-voice-form button").click()
        wait.until(lambda d: "sum to 107" in d.find_element(By.ID, "voices-notice").text)
        assert server.http.get("/api/tts/user_voices").json()["count"] == 1

        driver.find_element(By.CSS_SELECTOR, "#pronunciations li[data-key='gg'] button").click()
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#pronunciations li[data-key='gg']"))
        assert server.http.get("/api/tts/pronunciations").json()["count"] == 0

        driver.find_element(By.ID, "preview-text").send_keys("gg everyone")
        driver.find_element(By.CSS_SELECTOR, "#preview-form button").click()
        preview = driver.find_element(By.ID, "preview-audio")
        wait.until(lambda d: preview.get_attribute("data-state") == "ready")
        wait.until(lambda d: d.execute_script("return arguments[0].duration > 0", preview))


def test_player_volume_is_the_page_volume_times_the_queue_volume_set_in_the_panel(tmp_path: Path) -> None:
    """A queue volume moved in the panel reaches the OBS player, whose ?volume= multiplies it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data", playback_grace_seconds=600) as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true")
        slider = driver.find_element(By.ID, "volume-mentions")
        driver.execute_script("arguments[0].value = 40; arguments[0].dispatchEvent(new Event('change'))", slider)
        wait.until(lambda d: server.http.get("/api/tts/queue_volumes").json()["mentions"] == 0.4)

        driver.get(f"{server.base_url}/panel/player.html?volume=0.5")
        body = driver.find_element(By.TAG_NAME, "body")
        wait.until(lambda d: body.get_attribute("data-connected") == "true")
        message_id = server.post_chat("@streamer quiet please")["id"]
        wait.until(lambda d: server.message(message_id)["status"] == "ready")
        server.http.post("/api/tts/play")
        wait.until(lambda d: body.get_attribute("data-state") in ("playing", "ended"))
        assert body.get_attribute("data-volume") == "0.200"
        assert driver.execute_script("return document.getElementById('audio').volume") == pytest.approx(0.2)
