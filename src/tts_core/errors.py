"""Domain errors: every failure the core reports, free of any framework type."""

from __future__ import annotations


class TtsError(Exception):
    """Base class of every error raised by ``tts_core``."""


class InvalidInput(TtsError):
    """A value given by a caller is not acceptable; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidVoiceMix(InvalidInput):
    """A voice-mix string could not be read; the message names the parts that were read."""

    def __init__(self, message: str, field: str = "voice") -> None:
        super().__init__(field, message)


class InvalidTransition(TtsError):
    """A message was asked to move to a status its current status does not allow."""

    def __init__(self, message_id: int | None, current: str, action: str) -> None:
        super().__init__(f"message {message_id} is {current}: cannot {action}")
        self.message_id = message_id
        self.current = current
        self.action = action


class MessageNotFound(TtsError):
    """No message has the requested id."""

    def __init__(self, message_id: int) -> None:
        super().__init__(f"message {message_id} not found")
        self.message_id = message_id


class AudioNotFound(TtsError):
    """The audio store holds no file under the requested reference."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"audio {ref!r} not found")
        self.ref = ref


class SynthesisFailed(TtsError):
    """The engine could not turn this text into audio; retrying the same text will fail again."""


class EngineUnavailable(TtsError):
    """The engine is not ready (loading, or missing files); the message should wait, not fail."""


class EngineBusy(EngineUnavailable):
    """The engine is loaded but was busy for longer than the caller agreed to wait; try again later."""


class StorageError(TtsError):
    """The storage backend failed (locked, unreachable, corrupt); the operation had no effect."""


class AudioStoreError(TtsError):
    """The audio store cannot be used now (directory missing or not writable, disk full); nothing was stored."""


class ConcurrentUpdate(StorageError):
    """A message changed since this unit of work read it (another worker, process or request saved it first).

    Raised by ``UnitOfWork.save``; the unit rolls back, so nothing of it is written. Not a database failure:
    the caller lost a race and should read again (or let the other change stand), not back off.
    """

    def __init__(self, message_id: int) -> None:
        super().__init__(f"message {message_id} was changed by someone else since it was read")
        self.message_id = message_id
