"""Screening: which queue a chat message goes to and what is read, or why it is not queued."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tts_core.chat.at_mentions import mentions
from tts_core.chat.banned import find_banned, mask_banned
from tts_core.chat.characters import is_speakable, normalize_characters
from tts_core.chat.cheers import has_cheermotes
from tts_core.chat.cleaning import spoken_message
from tts_core.chat.emotes import has_emotes
from tts_core.chat.messages import Accepted, IncomingChat, MessageType, Rejected
from tts_core.chat.names import readable_name
from tts_core.chat.rules import BannedWordAction, ChatRules, login
from tts_core.chat.templates import render_engine_template, render_template
from tts_core.model import QueueKind
from tts_core.pronunciation import PronunciationBook, markup

FALLBACK_NAME = "someone"
"""How a sender whose name has nothing speakable (``___``) is read."""
_COMMAND = re.compile(r"\s*!\w")


def screen_chat(
    incoming: IncomingChat,
    rules: ChatRules,
    *,
    voices: Mapping[str, str] | None = None,
    pronunciations: PronunciationBook | None = None,
) -> Accepted | Rejected:
    """Decide the queue of ``incoming`` and the text to speak, or why it is not queued.

    Rules in order: blocked sender; for bits the minimum amount, for chat the ``!command`` and
    ``@username`` rules; banned words; then the cleaned text must have something speakable left.
    The sender's voice comes from ``voices`` (logins in lower case; default: ``rules.user_voices``).
    ``pronunciations`` respell the name and the text (shown in ``spoken_text``) and give the engine
    its phonemes (``engine_text``). Never raises for a validated message.
    """
    bits = incoming.message_type is MessageType.BITS
    gate = _gate(incoming, rules, bits=bits)
    if gate is not None:
        return gate
    user = readable_name(incoming.sent_by) or FALLBACK_NAME
    message = spoken_message(incoming.text, rules=rules, bits=bits)
    if rules.banned_word_action is BannedWordAction.DROP:
        banned = _banned(incoming, rules, user=user, message=message)
        if banned is not None:
            return banned
    else:
        user = mask_banned(user, words=rules.banned_words, mask=rules.mask_word) or FALLBACK_NAME
    if not is_speakable(message):
        return _unspeakable(incoming, rules, bits=bits)
    template = rules.bits_template if bits else rules.message_template
    amount = str(incoming.bits_amount or 0)
    book = pronunciations or PronunciationBook()
    said_user, engine_user = _say_name(incoming.sent_by, user, book)
    said = book.respell(message)
    spoken = render_template(template, user=said_user, text=said, bits=amount)
    engine = render_engine_template(template, user=engine_user, text=book.engine_text(said), bits=amount)
    queue = QueueKind.BITS if bits else QueueKind.MENTIONS
    voice = (rules.user_voices if voices is None else voices).get(login(incoming.sent_by))
    return Accepted(queue=queue, spoken_text=spoken, voice=voice, engine_text=engine if engine != spoken else None)


def _say_name(sent_by: str, readable: str, book: PronunciationBook) -> tuple[str, str]:
    """How the sender's name is shown and how the engine gets it: an entry for the login itself
    (``xX_g4mer_42_Xx``) wins over entries for the words of its readable form (``gamer 42``)."""
    entry = book.get(login(sent_by))
    if entry is not None and entry.say is not None:
        return entry.say, entry.say
    if entry is not None and entry.phonemes is not None:
        return readable, markup(readable, entry.phonemes)
    said = book.respell(readable)
    return said, book.engine_text(said)


def _gate(incoming: IncomingChat, rules: ChatRules, *, bits: bool) -> Rejected | None:
    """The rules that need no cleaning: who sent it, how many bits, whether it is a command or a mention."""
    if login(incoming.sent_by) in rules.blocked_users:
        return Rejected(reason="blocked_user", detail=f"{incoming.sent_by.strip()} is a blocked sender")
    if bits:
        amount = incoming.bits_amount or 0
        if amount < rules.min_bits:
            return Rejected(reason="below_min_bits", detail=f"{amount} bits is below the minimum of {rules.min_bits}")
        return None
    # Paid messages are always read, so only plain chat can be a command.
    if _COMMAND.match(incoming.text):
        command = incoming.text.split()[0]
        return Rejected(reason="command", detail=f"the message is the chat command {command}, not meant to be read")
    if not mentions(incoming.text, rules.username):
        return Rejected(reason="no_mention", detail=f"the message does not mention @{rules.username}")
    return None


def _banned(incoming: IncomingChat, rules: ChatRules, *, user: str, message: str) -> Rejected | None:
    words = rules.banned_words
    # The detail never quotes the word: reasons can end up on a panel that is shown on stream.
    # The text as typed (cut or not) and as read (zero-width tricks undone, letters collapsed) both count.
    found = find_banned(normalize_characters(incoming.text), words=words) or find_banned(message, words=words)
    if found is not None:
        return Rejected(reason="banned_word", detail="the message contains a banned word")
    found = find_banned(normalize_characters(incoming.sent_by), words=words) or find_banned(user, words=words)
    if found is not None:
        return Rejected(reason="banned_word", detail="the sender's name contains a banned word")
    return None


def _unspeakable(incoming: IncomingChat, rules: ChatRules, *, bits: bool) -> Rejected:
    pictures = has_emotes(incoming.text, emotes=rules.emotes)
    if pictures or (bits and has_cheermotes(incoming.text, prefixes=rules.cheer_prefixes)):
        return Rejected(reason="emote_only", detail="the message is only emotes, emoji or cheermotes")
    return Rejected(reason="nothing_to_say", detail="nothing speakable is left after cleaning the message")
