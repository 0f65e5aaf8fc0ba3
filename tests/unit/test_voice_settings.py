"""Live voice settings: stored per user, used from the next message, chosen by viewers, announced as events."""

from __future__ import annotations

import pytest

from adapters.memory_voices import KnownVoiceCatalog
from tests.world import USERNAME, World
from tts_core import IncomingChat, InvalidInput, Message, MessageType, NotQueued
from tts_core.chat import ChatRules
from tts_core.errors import InvalidVoiceMix
from tts_core.events import PronunciationChanged, QueueVolumeChanged, UserVoiceChanged
from tts_core.model import QueueKind
from tts_core.services import IngestService
from tts_core.services.voices import VoiceSettingsService

CHOICES = {"robot": "am_echo", "narrator": "bm_george70_am_adam30"}


def voices(world: World, known: frozenset[str] | None = None) -> VoiceSettingsService:
    return VoiceSettingsService(storage=world.storage, catalog=KnownVoiceCatalog(known))


def ingest(world: World, viewer_voices: dict[str, str] | None = None) -> IngestService:
    return IngestService(
        storage=world.storage,
        clock=world.clock,
        rules=ChatRules(username=USERNAME, blocked_users={"troll"}),
        viewer_voices=viewer_voices or {},
    )


def say(service: IngestService, text: str, by: str = "Viewer") -> Message | NotQueued:
    return service.add_message(IncomingChat(sent_by=by, text=text, message_type=MessageType.CHAT))


def test_a_stored_voice_applies_to_the_senders_next_message_in_any_case(world: World) -> None:
    """PUT a voice for a login: the sender's next message (name in any case) carries it; others do not."""
    before = say(ingest(world), "@streamer first")
    assert voices(world).set_user_voice("@VIEWER", "af_heart60_am_adam40") == ("viewer", "af_heart60_am_adam40")
    after = say(ingest(world), "@streamer second")
    other = say(ingest(world), "@streamer hi", by="someone")
    assert isinstance(before, Message) and isinstance(after, Message) and isinstance(other, Message)
    assert (before.voice, after.voice, other.voice) == (None, "af_heart60_am_adam40", None)
    assert world.events.of_type(UserVoiceChanged) == [UserVoiceChanged(user="viewer", voice="af_heart60_am_adam40")]


def test_unknown_voices_and_bad_logins_are_refused_naming_them(world: World) -> None:
    """A voice the engine lacks is a 400-style error naming it; a login with spaces names the user field."""
    service = voices(world, known=frozenset({"af_heart", "am_adam"}))
    with pytest.raises(InvalidVoiceMix, match="am_nobody"):
        service.set_user_voice("viewer", "af_heart50_am_nobody50")
    with pytest.raises(InvalidInput) as bad:
        service.set_user_voice("two words", "af_heart")
    assert bad.value.field == "user"
    assert service.user_voices() == {}


def test_deleting_a_voice_returns_the_sender_to_the_default(world: World) -> None:
    """DELETE removes the voice (announced once); deleting again reports nothing removed."""
    service = voices(world)
    service.set_user_voice("viewer", "af_heart")
    assert service.delete_user_voice("Viewer") is True
    assert service.delete_user_voice("viewer") is False
    message = say(ingest(world), "@streamer hi")
    assert isinstance(message, Message) and message.voice is None
    assert world.events.of_type(UserVoiceChanged)[-1] == UserVoiceChanged(user="viewer", voice=None)


def test_seeding_keeps_voices_set_live(world: World) -> None:
    """TTS_USER_VOICES fills in users without a voice; a voice set live is not overwritten."""
    service = voices(world)
    service.set_user_voice("vip", "am_echo")
    assert service.seed_user_voices({"@VIP": "af_heart", "fan": "am_adam"}) == ["fan"]
    assert service.user_voices() == {"fan": "am_adam", "vip": "am_echo"}


@pytest.mark.parametrize(
    ("text", "reason", "stored"),
    [
        ("!voice robot", "voice_set", "am_echo"),
        ("!voice NARRATOR", "voice_set", "bm_george70_am_adam30"),
        ("!voice pirate", "voice_unknown", "af_heart"),
        ("!voice reset", "voice_reset", None),
    ],
)
def test_viewers_choose_their_voice_with_a_chat_command(
    world: World, text: str, reason: str, stored: str | None
) -> None:
    """!voice sets, resets or (unknown name) keeps the sender's voice; the answer is a reason, nothing is queued."""
    voices(world).set_user_voice("viewer", "af_heart")
    result = say(ingest(world, CHOICES), text)
    assert isinstance(result, NotQueued)
    assert result.reason == reason
    assert voices(world).user_voices().get("viewer") == stored
    with world.storage.unit_of_work() as uow:
        assert uow.find() == []


def test_voice_is_an_ordinary_command_without_choices_and_for_blocked_senders(world: World) -> None:
    """Without TTS_VIEWER_VOICES, or from a blocked sender, !voice is rejected as a command and changes nothing."""
    plain = say(ingest(world), "!voice robot")
    blocked = say(ingest(world, CHOICES), "!voice robot", by="troll")
    assert isinstance(plain, NotQueued) and isinstance(blocked, NotQueued)
    assert (plain.reason, blocked.reason) == ("command", "blocked_user")
    assert voices(world).user_voices() == {}


def test_a_chosen_voice_is_used_by_the_next_message(world: World) -> None:
    """After !voice robot the sender's mentions are spoken with the robot mix."""
    say(ingest(world, CHOICES), "!voice robot")
    message = say(ingest(world, CHOICES), "@streamer beep")
    assert isinstance(message, Message) and message.voice == "am_echo"


def test_pronunciations_apply_to_messages_queued_after_the_change(world: World) -> None:
    """A respelling shows in spoken_text from the next message on; a phoneme entry only in the engine text."""
    service = voices(world)
    before = say(ingest(world), "@streamer gg kokoro")
    service.set_pronunciation("GG", say="good game", phonemes=None)
    service.set_pronunciation("kokoro", say=None, phonemes="kˈOkəɹO")
    after = say(ingest(world), "@streamer gg kokoro")
    assert isinstance(before, Message) and isinstance(after, Message)
    assert (before.spoken_text, before.engine_text) == ("Viewer says: gg kokoro", "Viewer says:\ngg kokoro")
    assert after.spoken_text == "Viewer says: good game kokoro"
    assert after.engine_text == "Viewer says:\ngood game [kokoro](/kˈOkəɹO/)"
    service.delete_pronunciation("gg")
    assert [e.word for e in service.pronunciations()] == ["kokoro"]
    changed = world.events.of_type(PronunciationChanged)
    assert changed[-1] == PronunciationChanged(word="gg", say=None, phonemes=None)


@pytest.mark.parametrize(
    ("entry", "spoken", "engine"),
    [
        ({"word": "xX_g4mer_42_Xx", "say": "gamer"}, "gamer says: hi", "gamer says:\nhi"),
        ({"word": "gamer 42", "say": "the gamer"}, "the gamer says: hi", "the gamer says:\nhi"),
        ({"word": "xx_g4mer_42_xx", "phonemes": "ɡˈAməɹ"}, "gamer 42 says: hi", "[gamer 42](/ɡˈAməɹ/) says:\nhi"),
    ],
)
def test_pronunciations_apply_to_usernames(world: World, entry: dict[str, str], spoken: str, engine: str) -> None:
    """An entry for the login, or for the words of its readable form, changes how the sender is named."""
    voices(world).set_pronunciation(entry["word"], say=entry.get("say"), phonemes=entry.get("phonemes"))
    message = say(ingest(world), "@streamer hi", by="xX_g4mer_42_Xx")
    assert isinstance(message, Message)
    assert (message.spoken_text, message.engine_text) == (spoken, engine)


def test_the_worker_speaks_the_engine_text(world: World) -> None:
    """The synthesizer receives the message's engine text (with markup) when it has one."""
    voices(world).set_pronunciation("kokoro", say=None, phonemes="kˈOkəɹO")
    say(ingest(world), "@streamer kokoro")
    assert world.synthesis.synthesize_next()
    assert world.engine.calls[-1][0] == "Viewer says:\n[kokoro](/kˈOkəɹO/)"


def test_queue_volumes_default_to_full_and_are_checked(world: World) -> None:
    """Volumes start at 1.0; a set volume is kept and announced; outside 0–1 names the field."""
    service = voices(world)
    assert service.queue_volumes() == {QueueKind.MENTIONS: 1.0, QueueKind.BITS: 1.0}
    service.set_queue_volume(QueueKind.BITS, 0.25)
    assert service.queue_volumes()[QueueKind.BITS] == 0.25
    assert world.events.of_type(QueueVolumeChanged) == [QueueVolumeChanged(queue=QueueKind.BITS, volume=0.25)]
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(InvalidInput) as refused:
            service.set_queue_volume(QueueKind.BITS, bad)
        assert refused.value.field == "volume"
