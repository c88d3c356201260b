"""Casbin enforcers per tenant, and the permissions of a set of roles compiled from them.

A tenant's rules are loaded from PostgreSQL into one `casbin.AsyncEnforcer` per
process, keyed by the tenant's `policy_version`. What a set of roles may do is then
compiled once per (tenant, roles, version) into plain lookups, so the per-request
and per-field cost of a check is a dictionary access.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import casbin
import sqlalchemy as sa

from crm_graph.kernel.actor import SCOPES
from crm_graph.platform.authz.models import PolicyRule

MODEL_PATH = str(Path(__file__).with_name("model.conf"))
__all__ = ["POLICIES", "SCOPES", "Permissions", "PolicyStore", "scope_covers"]
_RANK = {s: i for i, s in enumerate(SCOPES)}
MAX_TENANTS = 256


def scope_covers(granted: str, requested: str) -> bool:
    return _RANK.get(granted, -1) >= _RANK.get(requested, 99)


@dataclass
class Permissions:
    """What one set of roles may do in one tenant, at one policy version."""

    enforcer: Any
    subject: str
    domain: str
    version: int
    # Reads the tenant's live policy generation (PolicyStore.generation): it moves when
    # the rules or role assignments change, here or in another process.
    generation: Callable[[], int] = lambda: 0
    _scopes: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _fields: dict[tuple[str, str], bool] = field(default_factory=dict)

    def scope(self, obj: str, action: str) -> str | None:
        """The widest scope at which `action` on `obj` is allowed, or None."""
        key = (obj, action)
        if key not in self._scopes:
            found = None
            for scope in reversed(SCOPES):
                if self.enforcer.enforce(self.subject, self.domain, obj, action, scope):
                    found = scope
                    break
            self._scopes[key] = found
        return self._scopes[key]

    def allows(self, obj: str, action: str) -> bool:
        return self.scope(obj, action) is not None

    def field_allowed(self, record_type: str, field_name: str, action: str) -> bool:
        """A field rule: the type's permission minus any deny on `<type>.<field>`."""
        key = (f"{record_type}.{field_name}", action)
        if key not in self._fields:
            self._fields[key] = bool(self.enforcer.enforce(self.subject, self.domain, key[0], action, "own"))
        return self._fields[key]


async def _new_enforcer(rules: list[tuple[Any, ...]], groupings: list[tuple[Any, ...]]) -> Any:
    enforcer = casbin.AsyncEnforcer(MODEL_PATH)
    enforcer.add_function("scopeCovers", scope_covers)
    if rules:
        await enforcer.add_policies([list(r) for r in rules])
    if groupings:
        await enforcer.add_grouping_policies([list(g) for g in groupings])
    return enforcer


class PolicyStore:
    """The process-wide cache of tenant enforcers and compiled role sets."""

    def __init__(self) -> None:
        self._tenants: OrderedDict[uuid.UUID, tuple[int, Any]] = OrderedDict()
        self._compiled: dict[tuple[uuid.UUID, int, tuple[str, ...]], Permissions] = {}
        # Bumped whenever a tenant's rules or role assignments change (here or, via
        # Redis, in another process): long-lived holders re-load when it moves.
        self._generations: dict[uuid.UUID | None, int] = {}

    def generation(self, tenant_id: uuid.UUID) -> int:
        return self._generations.get(tenant_id, 0) + self._generations.get(None, 0)

    def invalidate(self, tenant_id: uuid.UUID | None = None) -> None:
        self._generations[tenant_id] = self._generations.get(tenant_id, 0) + 1
        if tenant_id is None:
            self._tenants.clear()
            self._compiled.clear()
            return
        self._tenants.pop(tenant_id, None)
        for key in [k for k in self._compiled if k[0] == tenant_id]:
            del self._compiled[key]

    async def _enforcer(self, db: Any, tenant_id: uuid.UUID, version: int) -> Any:
        cached = self._tenants.get(tenant_id)
        if cached is not None and cached[0] == version:
            self._tenants.move_to_end(tenant_id)
            return cached[1]
        self.invalidate(tenant_id)
        t = PolicyRule.__table__
        rows = (await db.execute(sa.select(t).where(t.c.tenant_id == tenant_id, t.c.archived_at.is_(None)))).all()
        dom = str(tenant_id)
        rules = [(r.subject, dom, r.object, r.action, r.scope, r.effect) for r in rows if r.ptype == "p"]
        groupings = [(r.subject, r.object, dom) for r in rows if r.ptype == "g"]
        enforcer = await _new_enforcer(rules, groupings)
        self._tenants[tenant_id] = (version, enforcer)
        while len(self._tenants) > MAX_TENANTS:
            evicted, _ = self._tenants.popitem(last=False)
            self.invalidate(evicted)
        return enforcer

    async def permissions(self, db: Any, tenant_id: uuid.UUID, version: int, roles: tuple[str, ...]) -> Permissions:
        roles = tuple(sorted(set(roles)))
        key = (tenant_id, version, roles)
        found = self._compiled.get(key)
        if found is not None:
            return found
        tenant = await self._enforcer(db, tenant_id, version)
        found = Permissions(
            await _role_set_enforcer(tenant, roles, str(tenant_id)),
            _subject(roles),
            str(tenant_id),
            version,
            generation=lambda: self.generation(tenant_id),
        )
        self._compiled[key] = found
        return found


def _subject(roles: tuple[str, ...]) -> str:
    return "roles:" + ",".join(roles)


async def _role_set_enforcer(tenant: Any, roles: tuple[str, ...], dom: str) -> Any:
    """An enforcer holding only the rules of `roles` and the roles they inherit.

    Casbin evaluates its matcher against every rule it holds, so checking against
    the whole tenant costs time in proportion to all the tenant's rules (tens of
    milliseconds at 10,000); a set of roles has a few dozen. A synthetic subject
    holds all the roles, so that a deny from one overrides an allow from another,
    as the model's effect says.
    """
    effective: set[str] = set(roles)
    for role in roles:
        effective.update(await tenant.get_implicit_roles_for_user(role, dom))
    rules = [tuple(r) for role in sorted(effective) for r in tenant.get_filtered_policy(0, role, dom)]
    subject = _subject(roles)
    return await _new_enforcer(rules, [(subject, role, dom) for role in sorted(effective)])


POLICIES = PolicyStore()
