"""Authorization rules, stored per tenant (the Casbin domain)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class PolicyRule(TenantRecord, table=True):
    """`p` rules: (subject role, object, action, scope, effect); `g` rules: (role, parent role)."""

    __tablename__ = "policy_rules"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "ptype", "subject", "object", "action", "scope", "effect"),
        sa.CheckConstraint("ptype IN ('p', 'g')", name="ck_policy_rules_ptype"),
        sa.CheckConstraint("scope IN ('own', 'team', 'tenant', '')", name="ck_policy_rules_scope"),
        sa.CheckConstraint("effect IN ('allow', 'deny', '')", name="ck_policy_rules_effect"),
    )

    ptype: str = "p"
    subject: str
    object: str
    action: str = ""
    scope: str = ""
    effect: str = ""
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)


class Role(TenantRecord, table=True):
    """A named role of a tenant; its rules are the `policy_rules` naming it."""

    __tablename__ = "roles"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: str
    description: str | None = None
    built_in: bool = False
