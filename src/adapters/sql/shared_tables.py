"""Tables that let several processes share one database: the event outbox and the process leases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Text
from sqlmodel import Field, SQLModel


class EventOutboxRow(SQLModel, table=True):
    """One committed event, written in the transaction that numbered it; relays tail it by ``seq``."""

    __tablename__ = "event_outbox"

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    type: str = Field(max_length=40)
    payload: str = Field(sa_type=Text)
    """The event as JSON (``adapters.sql.event_codec``)."""
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))


class ProcessLeaseRow(SQLModel, table=True):
    """A role that one process at a time holds (``playback``): who holds it and until when."""

    __tablename__ = "process_lease"

    name: str = Field(primary_key=True, max_length=40)
    owner: str | None = Field(default=None, max_length=200)
    until: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
