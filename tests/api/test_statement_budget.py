"""The number of SQL statements per request is fixed by the query's shape, never by
the number of rows: nested lists are loaded per level, not per parent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.conftest import GraphQLClient

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.interactions.models import Interaction, InteractionParticipant

NESTED = """
query($orgs: Int!, $contacts: Int!, $interactions: Int!) {
  organizations(first: $orgs, orderBy: {field: NAME}) {
    edges { node { id name owner { email }
      contacts(first: $contacts) { edges { node { id firstName emails
        interactions(first: $interactions) { edges { node { id kind subject occurredAt } } }
      } } }
    } }
  }
}
"""

# On the ordinary path: load the actor, then one statement per list level
# (organizations, their contacts, the contacts' interactions) and one for owners.
# (The tenant is set on a pooled connection once per tenant, counted apart: n[1].)
BUDGET = 5
# On the compiled path: one statement for the whole operation, which also re-checks
# the actor the process remembered.
COMPILED = 1


@pytest.fixture
def ordinary(http_ordinary):
    """A client of the graph's tenant admin on the ordinary (resolver) path."""

    def client(tenant):
        return GraphQLClient(http_ordinary, tenant.client().token)

    return client


@pytest.fixture
async def graph_50_10_5(tenant, engine):
    """50 organizations x 10 contacts x 5 interactions, each with the contact as participant."""
    now = datetime.now(UTC)
    orgs, contacts, interactions, participants = [], [], [], []
    for o in range(50):
        oid = uuid.uuid4()
        orgs.append({"id": oid, "tenant_id": tenant.id, "name": f"Org {o:02d}", "owner_id": tenant.admin_id})
        for c in range(10):
            cid = uuid.uuid4()
            contacts.append(
                {
                    "id": cid,
                    "tenant_id": tenant.id,
                    "first_name": f"C{c}",
                    "last_name": f"Org{o:02d}",
                    "emails": [f"c{c}@org{o}.example"],
                    "organization_id": oid,
                }
            )
            for i in range(5):
                iid = uuid.uuid4()
                interactions.append(
                    {
                        "id": iid,
                        "tenant_id": tenant.id,
                        "kind": "call",
                        "subject": f"Call {i}",
                        "occurred_at": now - timedelta(days=i),
                        "organization_id": oid,
                    }
                )
                participants.append({"tenant_id": tenant.id, "interaction_id": iid, "contact_id": cid})
    async with engine.begin() as conn:
        for model, rows in (
            (Organization, orgs),
            (Contact, contacts),
            (Interaction, interactions),
            (InteractionParticipant, participants),
        ):
            await conn.execute(model.__table__.insert(), rows)
    # Fresh statistics, as a live database has: plans made on the stale ones of a
    # table that just grew fiftyfold say nothing about the product.
    async with engine.begin() as conn:
        await conn.execute(sa.text("ANALYZE organizations, contacts, interactions, interaction_participants"))
    # The tenant's authorization rules are loaded once per process, on first use.
    await tenant.client()("{ viewer { id } }")
    return tenant


@pytest.mark.parametrize("path", ["compiled", "ordinary"])
async def test_nested_query_statement_count_is_pinned(graph_50_10_5, ordinary, path):
    client = graph_50_10_5.client() if path == "compiled" else ordinary(graph_50_10_5)
    data, statements = await client.counted(NESTED, {"orgs": 50, "contacts": 10, "interactions": 5})
    orgs = data["organizations"]["edges"]
    assert len(orgs) == 50
    assert all(len(o["node"]["contacts"]["edges"]) == 10 for o in orgs)
    assert all(len(c["node"]["interactions"]["edges"]) == 5 for o in orgs for c in o["node"]["contacts"]["edges"])
    assert statements == (COMPILED if path == "compiled" else BUDGET)


@pytest.mark.parametrize("path", ["compiled", "ordinary"])
@pytest.mark.parametrize("sizes", [(1, 1, 1), (10, 3, 2), (50, 10, 5)])
async def test_statement_count_does_not_depend_on_page_size(graph_50_10_5, ordinary, sizes, path):
    orgs, contacts, interactions = sizes
    client = graph_50_10_5.client() if path == "compiled" else ordinary(graph_50_10_5)
    _, statements = await client.counted(NESTED, {"orgs": orgs, "contacts": contacts, "interactions": interactions})
    assert statements == (COMPILED if path == "compiled" else BUDGET)


@pytest.mark.parametrize("path", ["compiled", "ordinary"])
async def test_total_counts_cost_one_statement_per_level(graph_50_10_5, ordinary, path):
    query = """{ organizations(first: 50) { totalCount edges { node {
        contacts(first: 2) { totalCount edges { node { id } } } } } } }"""
    client = graph_50_10_5.client() if path == "compiled" else ordinary(graph_50_10_5)
    data, statements = await client.counted(query)
    assert data["organizations"]["totalCount"] == 50
    assert {e["node"]["contacts"]["totalCount"] for e in data["organizations"]["edges"]} == {10}
    # ordinary: actor, organizations page + count, contacts pages + counts
    assert statements == (COMPILED if path == "compiled" else 5)
