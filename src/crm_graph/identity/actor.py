"""Who is asking: the user and tenant behind a request or a job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    roles: tuple[str, ...] = ()
    team_id: uuid.UUID | None = None
    email: str | None = None
