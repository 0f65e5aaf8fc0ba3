"""The panel in real headless Chromium: both queues' counts, the Clear confirmation, the stale banner, not read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.live import LiveServer, live_server
from tests.integration.test_browser_panel import WAIT, chromium, click, listed_ids, pytestmark  # noqa: F401

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

webdriver = pytest.importorskip("selenium.webdriver")


def open_panel(driver: Chrome, server: LiveServer) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{server.base_url}/panel/")
    WebDriverWait(driver, WAIT, poll_frequency=0.05).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-connected") == "true"
    )


def cheer(server: LiveServer, text: str, bits: int) -> int:
    body = {"sent_by": "cheerer", "text": text, "message_type": "bits", "bits_amount": bits}
    response = server.http.post("/api/tts/add_message", json=body)
    assert response.status_code == 201, response.text
    message_id: int = response.json()["id"]
    return message_id


def test_panel_shows_both_queues_and_looks_at_bits_without_switching(tmp_path: Path) -> None:
    """Bits waiting show from the Mentions view; the Bits tab lists them while mentions still plays."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        open_panel(driver, server)
        mention = server.post_chat("@streamer hi")["id"]
        paid = cheer(server, "cheer100 love the stream", 100)
        wait.until(lambda d: d.find_element(By.ID, "count-mentions").text == "1")
        wait.until(lambda d: d.find_element(By.ID, "count-bits").text == "1 · 100 bits")
        stats = server.http.get("/api/tts/active_queue_stats").json()
        assert stats["queues"]["bits"]["queue_size"] == 1
        assert stats["active_queue"] == "mentions"
        assert listed_ids(driver) == [str(mention)]

        click(driver, "button.view[data-queue='bits']")
        wait.until(lambda d: listed_ids(d) == [str(paid)])
        assert driver.find_element(By.ID, "queue-size").text == "1"
        assert "not playing" in driver.find_element(By.ID, "queue-name").text
        assert server.http.get("/api/tts/active_queue_stats").json()["active_queue"] == "mentions"
        pressed = driver.find_element(By.CSS_SELECTOR, "button.queue[aria-pressed='true']")
        assert pressed.get_attribute("data-queue") == "mentions"


def test_clear_asks_first_naming_the_messages_and_the_bits(tmp_path: Path) -> None:
    """Clear on the bits queue asks "Clear 2 waiting messages and 600 bits…"; Cancel keeps them, OK clears."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        open_panel(driver, server)
        first = cheer(server, "cheer100 one", 100)
        second = cheer(server, "cheer500 two", 500)
        click(driver, "button.queue[data-queue='bits']")
        wait.until(lambda d: listed_ids(d) == [str(first), str(second)])

        driver.find_element(By.ID, "clear").click()
        alert = wait.until(expected_conditions.alert_is_present())
        assert "2 waiting messages" in alert.text
        assert "600 bits" in alert.text
        assert "bits queue" in alert.text
        alert.dismiss()
        assert server.message(first)["status"] != "deleted"

        driver.find_element(By.ID, "clear").click()
        wait.until(expected_conditions.alert_is_present()).accept()
        wait.until(lambda d: server.message(second)["status"] == "deleted")
        assert server.message(first)["deletion_reason"] == "cleared"
        wait.until(lambda d: listed_ids(d) == [])


def test_panel_goes_visibly_stale_when_the_server_stops(tmp_path: Path) -> None:
    """The server stops: a banner says so, the panel is greyed, its buttons are disabled, the engine pill says
    the server is unreachable."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        with live_server(tmp_path / "data") as server:
            open_panel(driver, server)
            assert not driver.find_element(By.ID, "stale-banner").is_displayed()
            assert driver.find_element(By.ID, "play").is_enabled()
        wait.until(lambda d: d.find_element(By.ID, "stale-banner").is_displayed())
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "false"
        assert not driver.find_element(By.ID, "play").is_enabled()
        assert not driver.find_element(By.ID, "clear").is_enabled()
        assert driver.find_element(By.ID, "engine").text == "server unreachable"
        opacity = driver.execute_script("return getComputedStyle(document.querySelector('main')).opacity")
        assert float(opacity) < 1


def test_not_read_list_says_why_a_message_was_not_read(tmp_path: Path) -> None:
    """A message without a mention and a !command are listed under "Not read" with their reasons, live and after
    a reload; GET /api/tts/rejected has them too."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        server.http.post("/api/tts/add_message", json={"sent_by": "early", "text": "before the panel opened"})
        open_panel(driver, server)
        wait.until(lambda d: d.find_element(By.ID, "not-read-count").text == "1")
        response = server.http.post("/api/tts/add_message", json={"sent_by": "lurker", "text": "!discord"})
        assert response.json()["queued"] is False
        reason = response.json()["reason"]
        wait.until(lambda d: d.find_element(By.ID, "not-read-count").text == "2")

        driver.find_element(By.CSS_SELECTOR, "#not-read summary").click()
        rows = driver.find_elements(By.CSS_SELECTOR, "#not-read-list li")
        assert rows[0].get_attribute("data-reason") == reason
        assert "lurker" in rows[0].text
        assert "!discord" in rows[0].text
        assert "early" in rows[1].text
        listed = server.http.get("/api/tts/rejected").json()
        assert [m["sent_by"] for m in listed["messages"]] == ["lurker", "early"]


def test_panel_shows_why_the_engine_is_not_ready_as_text(tmp_path: Path) -> None:
    """An engine that is not ready: its reason is written under the header, not only in a tooltip."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from adapters.memory import FakeSynthesizer

    with (
        live_server(tmp_path / "data", synthesizer=FakeSynthesizer(ready=False)) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        open_panel(driver, server)
        detail = driver.find_element(By.ID, "engine-detail")
        WebDriverWait(driver, WAIT, poll_frequency=0.05).until(lambda d: detail.is_displayed())
        assert "fake engine for tests" in detail.text
        assert "not ready" in driver.find_element(By.ID, "engine").text


def test_autoplay_cooldown_counts_down_between_messages(tmp_path: Path) -> None:
    """With autoplay running and a 30 s cooldown, the toggle reads "next in … s" after a message ends."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with (
        live_server(tmp_path / "data", autoplay_cooldown=30, playback_grace_seconds=600) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        open_panel(driver, server)
        first = server.post_chat("@streamer one")["id"]
        server.post_chat("@streamer two")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li[data-status='ready']")) == 2)
        server.http.post("/api/tts/autoplay/start")
        assert server.http.post("/api/tts/play").json()["message"]["id"] == first
        wait.until(lambda d: d.find_element(By.ID, "autoplay-state").text == "running")
        assert server.http.post(f"/api/tts/mark_played/{first}").status_code == 200
        wait.until(lambda d: d.find_element(By.ID, "autoplay-state").text.startswith("next in "))
        seconds = int(driver.find_element(By.ID, "autoplay-state").text.split()[2])
        assert 0 < seconds <= 30
