"""Running an operation on both read paths, as one user, and comparing the answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from crm_graph import compiled
from crm_graph.api.schema import schema
from crm_graph.api.transport.context import Context
from crm_graph.kernel.actor import Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.authz.actors import load_actor
from graphql import get_operation_ast, parse, validate


@dataclass
class Outcome:
    ordinary: bytes | None  # None when the ordinary path answered with errors
    errors: list[Any]
    compiled: bytes | None  # None when the compiled path fell back
    reason: str | None  # the fallback's reason


@dataclass
class Both:
    """Runs operations on the ordinary and the compiled path as one user."""

    engine: Any
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    api_key_role: str | None = None  # with user_id None: an API key acting with this role

    async def _context(self) -> Context:
        db = RequestDB(self.engine, self.tenant_id)
        identity = (
            Identity(self.tenant_id, self.user_id)
            if self.api_key_role is None
            else Identity(self.tenant_id, None, uuid.uuid4(), self.api_key_role, "api_key")
        )
        actor = await load_actor(db, identity)
        return Context(actor=actor, db=db)

    async def run(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> Outcome:
        document = parse(query)
        assert not validate(schema._schema, document)
        operation = get_operation_ast(document, operation_name)
        assert operation is not None
        ctx = await self._context()
        try:
            result = await schema.execute(
                query, variable_values=variables, context_value=ctx, operation_name=operation_name
            )
        finally:
            await ctx.db.close()
        ordinary = None if result.errors else orjson.dumps({"data": result.data})
        answers = []
        for _ in range(2):  # the second time from the statement cache
            ctx = await self._context()
            try:
                answers.append((await compiled.execute(schema, ctx, document, operation, variables or {}), None))
            except compiled.Fallback as exc:
                answers.append((None, exc.reason))
            finally:
                await ctx.db.close()
        assert answers[0] == answers[1], "the cached statement answers differently"
        body, reason = answers[0]
        return Outcome(ordinary, list(result.errors or []), body, reason)

    async def same(
        self, query: str, variables: dict[str, Any] | None = None, *, operation_name: str | None = None
    ) -> bytes:
        """Both paths answer, without errors, with the same bytes."""
        out = await self.run(query, variables, operation_name)
        assert out.ordinary is not None, out.errors
        assert out.compiled is not None, f"fell back: {out.reason}"
        if out.compiled != out.ordinary:
            assert orjson.loads(out.compiled) == orjson.loads(out.ordinary)
            assert out.compiled == out.ordinary
        return out.compiled

    async def check(self, query: str, variables: dict[str, Any] | None = None) -> Outcome:
        """Same bytes when the ordinary path answers without errors; a fallback when
        it answers with errors (the compiled path never produces those)."""
        out = await self.run(query, variables)
        if out.errors:
            assert out.compiled is None, f"compiled an answer where the ordinary path has errors: {out.errors}"
        else:
            assert out.compiled is not None, f"fell back: {out.reason}"
            assert out.compiled == out.ordinary
        return out

    async def falls_back(self, query: str, variables: dict[str, Any] | None = None) -> Outcome:
        out = await self.run(query, variables)
        assert out.compiled is None, "compiled an operation it should leave to the ordinary path"
        return out
