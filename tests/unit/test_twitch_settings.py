"""The Twitch chat reader's settings: channel spelling, the chat address, and the token kept secret."""

from __future__ import annotations

import pytest

from entrypoints.settings import SettingsError, load_settings


@pytest.mark.parametrize(("given", "channel"), [("", ""), ("#Streamer", "streamer"), (" some_one_42 ", "some_one_42")])
def test_the_channel_is_a_login_without_hash_in_lower_case(given: str, channel: str) -> None:
    """``#Streamer`` and ``streamer`` are the same channel; empty means off."""
    assert load_settings(_env_file=None, twitch_channel=given).twitch_channel == channel


@pytest.mark.parametrize(
    ("setting", "value", "variable"),
    [
        ("twitch_channel", "two words", "TTS_TWITCH_CHANNEL"),
        ("twitch_channel", "#" + "x" * 26, "TTS_TWITCH_CHANNEL"),
        ("twitch_irc_url", "https://irc.chat.twitch.tv", "TTS_TWITCH_IRC_URL"),
        ("twitch_irc_url", "irc.chat.twitch.tv:6697", "TTS_TWITCH_IRC_URL"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(setting: str, value: str, variable: str) -> None:
    """A channel that is no login or an address that is not irc:// or ircs:// is refused, naming the variable."""
    with pytest.raises(SettingsError, match=variable):
        load_settings(_env_file=None, **{setting: value})


def test_the_token_is_a_secret_and_empty_means_anonymous() -> None:
    """The token never shows in the settings' repr; an empty one is the same as none."""
    settings = load_settings(_env_file=None, twitch_oauth_token="oauth:abc123secret")
    assert "abc123secret" not in repr(settings)
    assert settings.twitch_oauth_token is not None
    assert settings.twitch_oauth_token.get_secret_value() == "oauth:abc123secret"
    assert load_settings(_env_file=None, twitch_oauth_token="  ").twitch_oauth_token is None


def test_the_default_address_is_twitchs_tls_endpoint() -> None:
    """Unset, the reader speaks TLS to irc.chat.twitch.tv:6697; the channel is empty (off)."""
    settings = load_settings(_env_file=None)
    assert (settings.twitch_irc_url, settings.twitch_channel) == ("ircs://irc.chat.twitch.tv:6697", "")
