"""How an audit entry is redacted and hashed: the bytes the journal's one statement
chains (crm_graph.kernel.journal) and the audit service verifies
(crm_graph.platform.audit.chain).

Each entry's hash is sha256 over the previous entry's hash and a canonical JSON of
the entry, so editing, inserting or deleting an entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

SECRET_MARKERS = ("hash", "secret", "password", "token")
HASHED = (
    "tenant_id",
    "seq",
    "occurred_at",
    "actor_user_id",
    "actor_api_key_id",
    "action",
    "record_type",
    "record_id",
    "changes",
    "request_id",
    "client_address",
)


@dataclass(frozen=True)
class Entry:
    action: str
    record_type: str | None = None
    record_id: uuid.UUID | None = None
    changes: dict[str, Any] | None = None


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def redact(changes: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as {field: [before, after]}, never a secret or a hash."""
    return {
        k: _json_safe(list(v) if isinstance(v, tuple) else v)
        for k, v in changes.items()
        if not any(marker in k for marker in SECRET_MARKERS)
    }


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    body = orjson.dumps({k: _json_safe(row[k]) for k in HASHED}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


def hashed_parts(row: dict[str, Any]) -> tuple[bytes, bytes]:
    """The bytes `entry_hash` hashes after the previous hash, split around the entry's
    number: `head + str(seq).encode() + tail` is that body. Entries are numbered (and
    chained, by PostgreSQL's sha256) inside the statement that holds the chain's head."""
    before = {k: _json_safe(row[k]) for k in HASHED if k < "seq"}
    after = {k: _json_safe(row[k]) for k in HASHED if k > "seq"}
    # Compact JSON with sorted keys: an object is `{` + `"key":value` joined by `,` + `}`.
    head = orjson.dumps(before, option=orjson.OPT_SORT_KEYS)[:-1] + (b"," if before else b"") + b'"seq":'
    tail = b"," + orjson.dumps(after, option=orjson.OPT_SORT_KEYS)[1:] if after else b"}"
    return head, tail
