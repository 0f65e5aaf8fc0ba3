"""The panel's Twitch chat pill and button in real headless Chromium, against a fake Twitch server."""

from __future__ import annotations

from pathlib import Path

from tests.integration.live import live_server
from tests.integration.test_browser_panel import WAIT, chromium, pytestmark  # noqa: F401 -- same skip rules
from tests.twitch_fake import FakeTwitchServer, closed_port_url


def test_panel_shows_the_chat_connection_and_turns_it_off_and_on(tmp_path: Path) -> None:
    """The pill says connected with the channel; the button disconnects (off, socket closed) and connects again."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with (
        FakeTwitchServer() as twitch,
        live_server(tmp_path / "data", twitch_channel="streamer", twitch_irc_url=twitch.url) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        pill = driver.find_element(By.ID, "twitch")
        toggle = driver.find_element(By.ID, "twitch-toggle")
        wait.until(lambda _: pill.text == "chat connected #streamer")
        assert "good" in (pill.get_attribute("class") or "")
        assert toggle.text == "Disconnect chat"

        toggle.click()
        wait.until(lambda _: pill.get_attribute("data-state") == "off")
        twitch.wait_for(lambda: twitch.connections[0].closed)
        assert toggle.text == "Connect chat"

        toggle.click()
        wait.until(lambda _: pill.text == "chat connected #streamer")
        assert len(twitch.connections) == 2


def test_panel_without_a_channel_hides_the_button(tmp_path: Path) -> None:
    """No TTS_TWITCH_CHANNEL: the pill says chat comes from the App and there is no button."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(tmp_path / "data") as server, chromium(tmp_path / "profile") as driver:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        wait.until(lambda d: d.find_element(By.ID, "twitch").text == "chat from the App")
        assert not driver.find_element(By.ID, "twitch-toggle").is_displayed()


def test_panel_shows_why_chat_is_not_connected(tmp_path: Path) -> None:
    """Nothing listening at the chat address: the pill warns and the reason is shown beside it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url = closed_port_url()
    with (
        live_server(tmp_path / "data", twitch_channel="streamer", twitch_irc_url=url) as server,
        chromium(tmp_path / "profile") as driver,
    ):
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        driver.get(f"{server.base_url}/panel/")
        problem = driver.find_element(By.ID, "twitch-error")
        wait.until(lambda _: problem.is_displayed())
        assert (problem.get_attribute("title") or "").startswith(f"cannot connect to {url}")
        pill = driver.find_element(By.ID, "twitch")
        assert "warn" in (pill.get_attribute("class") or "")
        assert pill.text == "chat connecting… #streamer"
