"""A change of rules reaches other processes' caches through Redis within seconds."""

from __future__ import annotations

import asyncio
import uuid

from redis import asyncio as aioredis

from crm_graph.kernel.db import DomainEvent
from crm_graph.platform.authz import invalidation
from crm_graph.platform.authz.enforcer import PolicyStore


async def test_policy_event_published_after_commit_drops_other_caches(redis_url):
    redis = aioredis.from_url(redis_url)
    other_process = PolicyStore()
    tenant = uuid.uuid4()
    other_process._tenants[tenant] = (1, object())  # a cached enforcer
    listener = asyncio.create_task(invalidation.listen(redis, other_process))
    try:
        await asyncio.sleep(0.2)  # subscribed
        announce = invalidation.announcer(redis)
        await announce(tenant, [DomainEvent("organization.updated", "organization", uuid.uuid4(), 2, None)])
        await asyncio.sleep(0.3)
        assert tenant in other_process._tenants, "ordinary changes must not drop permission caches"
        await announce(tenant, [DomainEvent("policy.revoked", "policy", uuid.uuid4(), 1, None)])
        for _ in range(50):
            if tenant not in other_process._tenants:
                break
            await asyncio.sleep(0.1)
        assert tenant not in other_process._tenants
    finally:
        listener.cancel()
        await redis.aclose()


async def test_a_revoked_grant_applies_to_the_next_request(tenant, gql):
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    assert (await rep("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 0
    revoked = await gql("""mutation { roleRevoke(input: {role: "sales_rep", object: "organization", action: "read",
        scope: TENANT}) { rule { subject object } errors { message } } }""")
    assert revoked["roleRevoke"]["errors"] == []
    body = (await rep.post("{ organizations(first: 1) { totalCount } }")).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await gql("""mutation { roleGrant(input: {role: "sales_rep", object: "organization", action: "read",
        scope: TENANT}) { errors { message } } }""")
    assert (await rep("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 0
