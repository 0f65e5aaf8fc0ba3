"""Screening: which queue a chat message goes to and what is read, or why it is not queued."""

from __future__ import annotations

import re

from tts_core.chat.at_mentions import mentions
from tts_core.chat.banned import find_banned, mask_banned
from tts_core.chat.characters import is_speakable, normalize_characters
from tts_core.chat.cheers import has_cheermotes
from tts_core.chat.cleaning import spoken_message
from tts_core.chat.emotes import has_emotes
from tts_core.chat.messages import Accepted, IncomingChat, MessageType, Rejected
from tts_core.chat.names import readable_name
from tts_core.chat.rules import BannedWordAction, ChatRules, login
from tts_core.chat.templates import render_template
from tts_core.model import QueueKind

FALLBACK_NAME = "someone"
"""How a sender whose name has nothing speakable (``___``) is read."""
_COMMAND = re.compile(r"\s*!\w")


def screen_chat(incoming: IncomingChat, rules: ChatRules) -> Accepted | Rejected:
    """Decide the queue of ``incoming`` and the text to speak, or why it is not queued.

    Rules in order: blocked sender; for bits the minimum amount, for chat the ``!command`` and
    ``@username`` rules; banned words; then the cleaned text must have something speakable left.
    Never raises for a validated message.
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
    spoken = render_template(template, user=user, text=message, bits=str(incoming.bits_amount or 0))
    queue = QueueKind.BITS if bits else QueueKind.MENTIONS
    return Accepted(queue=queue, spoken_text=spoken, voice=rules.user_voices.get(login(incoming.sent_by)))


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
