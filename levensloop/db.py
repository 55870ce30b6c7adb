"""Declarative base, naming convention and column helpers shared by every module."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_column(enum_class: type[enum.Enum]) -> sa.Enum:
    """An enum stored as its (lower-case, Dutch) values in a VARCHAR with a CHECK constraint."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=40,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> datetime:
    """The current time, timezone-aware UTC. The one clock of the application."""
    return datetime.now(UTC)


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    """Today's date in the Netherlands. Deadlines, titles and reviews are Dutch calendar dates;
    a server running on UTC would otherwise be a day behind between midnight and 1 or 2 a.m."""
    return datetime.now(AMSTERDAM).date()


class UTCDateTime(TypeDecorator):
    """Stores UTC; always returns timezone-aware UTC datetimes (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use levensloop.db.utcnow()")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), uuid.UUID: sa.Uuid()},
    )


class UUIDPrimaryKey:
    """A random, client-generated UUID as primary key: opaque in URLs, known before insert."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a URL or form value, or None when it is not one."""
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None


def parse_int(value: str | None, default: int = 0) -> int:
    """A non-negative integer from a form or query value, else `default`."""
    text = (value or "").strip()
    # isdigit() alone also says yes to "²" and other digits int() refuses.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else default
