"""The OBS player pill in real headless Chromium: the panel says when the player is muted, blocked or missing,
and the player page itself shows none of it on stream."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.live import LiveServer, live_server
from tests.integration.test_browser_panel import WAIT, chromium, pytestmark  # noqa: F401

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

webdriver = pytest.importorskip("selenium.webdriver")


def open_page(driver: Chrome, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, WAIT, poll_frequency=0.05).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-connected") == "true"
    )


def pill(driver: Chrome) -> tuple[str, str]:
    """The OBS player pill's state and text."""
    element = driver.find_element("id", "obs-player")
    return element.get_attribute("data-state") or "", element.text


def wait_for_pill(driver: Chrome, state: str) -> str:
    """Wait until the pill shows ``state``; its text."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT, poll_frequency=0.05).until(lambda d: pill(d)[0] == state)
    return pill(driver)[1]


def text_on_stream(driver: Chrome) -> str:
    """Everything the player page renders as text (what OBS would capture)."""
    text: str = driver.execute_script("return document.body.innerText")
    return text.strip()


def test_panel_says_muted_then_no_player_and_the_player_shows_nothing(tmp_path: Path) -> None:
    """A player opened with ?volume=0 makes the pill say muted (volume 0); a queue at volume 0 is muted too;
    closing the player makes it say no player connected; the player page renders no text at all."""
    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        open_page(driver, f"{server.base_url}/panel/")
        assert wait_for_pill(driver, "none") == "OBS player: no player connected"
        panel = driver.current_window_handle

        driver.switch_to.new_window("tab")
        open_page(driver, f"{server.base_url}/panel/player.html?volume=0&caption=1")
        player = driver.current_window_handle
        driver.switch_to.window(panel)
        assert wait_for_pill(driver, "muted") == "OBS player: muted (volume 0)"
        driver.switch_to.window(player)
        assert text_on_stream(driver) == ""
        driver.close()
        driver.switch_to.window(panel)
        assert wait_for_pill(driver, "none") == "OBS player: no player connected"

        driver.switch_to.new_window("tab")
        open_page(driver, f"{server.base_url}/panel/player.html")
        driver.switch_to.window(panel)
        assert wait_for_pill(driver, "ok") == "OBS player: connected"
        set_volume(server, "mentions", 0.0)
        assert wait_for_pill(driver, "muted") == "OBS player: muted (queue volume 0)"
        set_volume(server, "mentions", 0.5)
        assert wait_for_pill(driver, "ok") == "OBS player: connected"


def set_volume(server: LiveServer, queue: str, volume: float) -> None:
    response = server.http.put(f"/api/tts/queue_volumes/{queue}", json={"volume": volume})
    assert response.status_code == 200, response.text


def test_panel_says_blocked_until_the_player_is_clicked(tmp_path: Path) -> None:
    """With Chromium's normal autoplay policy the player may not play sound: the panel says blocked before any
    message is lost, the player page shows nothing, and one click in the player makes it connected."""
    from selenium.webdriver.common.action_chains import ActionChains

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile", autoplay=False) as driver:
        open_page(driver, f"{server.base_url}/panel/")
        panel = driver.current_window_handle
        driver.switch_to.new_window("tab")
        open_page(driver, f"{server.base_url}/panel/player.html?caption=1")
        player = driver.current_window_handle
        driver.switch_to.window(panel)
        assert wait_for_pill(driver, "blocked") == "OBS player: blocked — click the player once in OBS (Interact)"
        assert "Interact" in (driver.find_element("id", "obs-player").get_attribute("title") or "")

        driver.switch_to.window(player)
        assert text_on_stream(driver) == ""
        ActionChains(driver).move_by_offset(20, 20).click().perform()  # the streamer's click (OBS: Interact)
        driver.switch_to.window(panel)
        assert wait_for_pill(driver, "ok") == "OBS player: connected"
