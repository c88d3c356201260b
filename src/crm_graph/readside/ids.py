"""Opaque global IDs and pagination cursors.

A global ID is base64 of a 2-byte type tag followed by the 16 bytes of the UUID:
24 characters, no padding, and cheap to build in SQL
(`encode('\\x0001'::bytea || uuid_send(id), 'base64')`) for the compiled read path.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa

from crm_graph.readside.spec import Entity, entity_by_tag


def to_global_id(entity: Entity, id_: uuid.UUID) -> str:
    return base64.b64encode(entity.tag.to_bytes(2, "big") + id_.bytes).decode("ascii")


def global_id_sql(entity: Entity, id_column: Any) -> Any:
    """to_global_id in SQL, for the compiled read path: the same 24 characters."""
    tag: sa.ColumnClause[Any] = sa.literal_column(f"'\\x{entity.tag:04x}'::bytea")
    return sa.func.encode(tag.op("||")(sa.func.uuid_send(id_column)), sa.literal_column("'base64'"))


def from_global_id(value: str) -> tuple[Entity, uuid.UUID] | None:
    """The entity and UUID behind a global ID, or None if it is not one of ours."""
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if len(raw) != 18:
        return None
    found = entity_by_tag(int.from_bytes(raw[:2], "big"))
    if found is None:
        return None
    return found, uuid.UUID(bytes=raw[2:])


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    return value


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([_plain(v) for v in values])).decode("ascii")


def decode_cursor(cursor: str) -> list[Any] | None:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (binascii.Error, ValueError, orjson.JSONDecodeError, UnicodeEncodeError):
        return None
    return values if isinstance(values, list) else None
