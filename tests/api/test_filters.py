"""List filters, as a client uses them: each returns exactly the matching records, and
totalCount agrees with the filter whatever the page size.

Each entity gets a small data set where every filter value separates the records
(bounds of ranges are hit exactly: bounds are inclusive).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from builders import Builder, at, day, gid, other_tenant

Case = tuple[str, Callable[[dict[str, Any]], dict[str, Any]], set[str]]


def list_query(field: str, type_name: str, label: str) -> str:
    return f"""
    query($filter: {type_name}Filter, $first: Int!, $arch: Boolean! = false) {{
      conn: {field}(first: $first, filter: $filter, includeArchived: $arch) {{
        totalCount pageInfo {{ hasNextPage }} edges {{ node {{ id label: {label} }} }}
      }}
    }}"""


async def assert_matches(
    client: Any, query: str, filter_: dict[str, Any], expected: set[str], arch: bool = False
) -> None:
    data = (await client(query, {"filter": filter_, "first": 100, "arch": arch}))["conn"]
    labels = [e["node"]["label"] for e in data["edges"]]
    assert sorted(labels) == sorted(expected), filter_
    assert data["totalCount"] == len(expected), filter_
    small = (await client(query, {"filter": filter_, "first": 1, "arch": arch}))["conn"]
    assert small["totalCount"] == len(expected), "totalCount does not depend on the page size"
    assert len(small["edges"]) == min(1, len(expected))
    assert small["pageInfo"]["hasNextPage"] is (len(expected) > 1)


# --- organizations ---------------------------------------------------------------


@pytest.fixture
async def org_data(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    u1 = await tenant.user(f"owner1@{tenant.slug}.example", ["sales_rep"])
    u2 = await tenant.user(f"owner2@{tenant.slug}.example", ["sales_rep"])
    rows = {
        "ACME Corp": dict(
            website="https://acme.example",
            kinds=["customer"],
            industry="Software",
            region="EMEA",
            lifecycle_stage="active",
            tags=["vip", "eu"],
            owner_id=u1,
            size=50,
            created_at=at(0),
        ),
        "Acmeville": dict(
            kinds=["prospect", "partner"],
            industry="Retail",
            region="NA",
            lifecycle_stage="lead",
            tags=["eu"],
            owner_id=u2,
            size=500,
            created_at=at(1),
        ),
        "Zeta Ltd": dict(
            website="https://zeta.example",
            kinds=["supplier"],
            industry="Software",
            region="APAC",
            lifecycle_stage="loyal",
            created_at=at(2),
        ),
        "Fifty 50% Off": dict(
            kinds=["partner", "competitor"],
            region="EMEA",
            lifecycle_stage="churned",
            tags=["vip"],
            owner_id=u1,
            size=10,
            created_at=at(3),
        ),
        "500 Club": dict(
            industry="Manufacturing",
            region="NA",
            lifecycle_stage="active",
            tags=["b2b"],
            owner_id=u2,
            size=51,
            created_at=at(4),
        ),
        "snake_case inc": dict(
            kinds=["customer", "supplier"],
            industry="Retail",
            lifecycle_stage="prospect",
            tags=["b2b", "vip"],
            size=49,
            created_at=at(5),
        ),
        "Acme Archived": dict(
            kinds=["customer", "partner"],
            industry="Software",
            region="EMEA",
            tags=["vip"],
            owner_id=u1,
            size=50,
            created_at=at(1),
            archived_at=at(6),
        ),
    }
    ids = {}
    for name, values in rows.items():
        ids[name] = await b.org(name, **values)
    return {"u1": gid("User", u1), "u2": gid("User", u2), "u1_uuid": u1, "orgs": ids}


ORGS = list_query("organizations", "Organization", "name")
ALL_LIVE_ORGS = {"ACME Corp", "Acmeville", "Zeta Ltd", "Fifty 50% Off", "500 Club", "snake_case inc"}

ORG_CASES: list[Case] = [
    ("no filter", lambda d: {}, ALL_LIVE_ORGS),
    ("search name, any case", lambda d: {"search": "acme"}, {"ACME Corp", "Acmeville"}),
    ("search inside the name", lambda d: {"search": "ETA l"}, {"Zeta Ltd"}),
    ("search upper case", lambda d: {"search": "ACME CORP"}, {"ACME Corp"}),
    ("search percent is literal", lambda d: {"search": "50%"}, {"Fifty 50% Off"}),
    ("search underscore is literal", lambda d: {"search": "e_c"}, {"snake_case inc"}),
    ("search no match", lambda d: {"search": "nothing like it"}, set()),
    ("kinds one", lambda d: {"kinds": ["PARTNER"]}, {"Acmeville", "Fifty 50% Off"}),
    (
        "kinds overlap",
        lambda d: {"kinds": ["PARTNER", "SUPPLIER"]},
        {"Acmeville", "Zeta Ltd", "Fifty 50% Off", "snake_case inc"},
    ),
    ("industry", lambda d: {"industry": ["Software"]}, {"ACME Corp", "Zeta Ltd"}),
    (
        "industry any of",
        lambda d: {"industry": ["Software", "Retail"]},
        {"ACME Corp", "Acmeville", "Zeta Ltd", "snake_case inc"},
    ),
    ("region", lambda d: {"region": ["EMEA"]}, {"ACME Corp", "Fifty 50% Off"}),
    ("region any of", lambda d: {"region": ["NA", "APAC"]}, {"Acmeville", "Zeta Ltd", "500 Club"}),
    ("lifecycle stage", lambda d: {"lifecycleStage": ["ACTIVE"]}, {"ACME Corp", "500 Club"}),
    ("lifecycle stages", lambda d: {"lifecycleStage": ["LEAD", "CHURNED"]}, {"Acmeville", "Fifty 50% Off"}),
    ("tags", lambda d: {"tags": ["vip"]}, {"ACME Corp", "Fifty 50% Off", "snake_case inc"}),
    ("tags overlap", lambda d: {"tags": ["eu", "b2b"]}, {"ACME Corp", "Acmeville", "500 Club", "snake_case inc"}),
    ("owner", lambda d: {"owner": [d["u1"]]}, {"ACME Corp", "Fifty 50% Off"}),
    ("owners", lambda d: {"owner": [d["u1"], d["u2"]]}, {"ACME Corp", "Acmeville", "Fifty 50% Off", "500 Club"}),
    ("owner id of another type", lambda d: {"owner": [gid("Organization", d["orgs"]["ACME Corp"])]}, set()),
    ("owner: user uuid under another type tag", lambda d: {"owner": [gid("Contact", d["u1_uuid"])]}, set()),
    ("owner malformed id", lambda d: {"owner": ["not-an-id"]}, set()),
    ("owner unknown user", lambda d: {"owner": [gid("User", uuid.uuid4())]}, set()),
    (
        "owner: one good, one wrong type",
        lambda d: {"owner": [d["u2"], gid("Team", uuid.uuid4())]},
        {"Acmeville", "500 Club"},
    ),
    ("size range inclusive", lambda d: {"size": {"from": 50, "to": 500}}, {"ACME Corp", "Acmeville", "500 Club"}),
    ("size from", lambda d: {"size": {"from": 51}}, {"Acmeville", "500 Club"}),
    ("size to", lambda d: {"size": {"to": 49}}, {"Fifty 50% Off", "snake_case inc"}),
    ("size exact", lambda d: {"size": {"from": 10, "to": 10}}, {"Fifty 50% Off"}),
    (
        "createdAt range inclusive",
        lambda d: {"createdAt": {"from": at(1).isoformat(), "to": at(3).isoformat()}},
        {"Acmeville", "Zeta Ltd", "Fifty 50% Off"},
    ),
    ("createdAt from", lambda d: {"createdAt": {"from": at(4).isoformat()}}, {"500 Club", "snake_case inc"}),
    ("createdAt to", lambda d: {"createdAt": {"to": at(0, minutes=1).isoformat()}}, {"ACME Corp"}),
    ("conditions combine with AND", lambda d: {"kinds": ["CUSTOMER"], "region": ["EMEA"]}, {"ACME Corp"}),
    ("search and industry", lambda d: {"search": "acme", "industry": ["Retail"]}, {"Acmeville"}),
    ("tags and owner", lambda d: {"tags": ["vip"], "owner": [d["u1"]]}, {"ACME Corp", "Fifty 50% Off"}),
]


@pytest.mark.parametrize(("name", "make", "expected"), ORG_CASES, ids=[c[0] for c in ORG_CASES])
async def test_organization_filters(gql, org_data, name, make, expected):
    await assert_matches(gql, ORGS, make(org_data), expected)


async def test_organization_filters_apply_to_archived_records_when_included(gql, org_data):
    await assert_matches(gql, ORGS, {"search": "acme"}, {"ACME Corp", "Acmeville", "Acme Archived"}, arch=True)
    await assert_matches(
        gql,
        ORGS,
        {"owner": [org_data["u1"]], "size": {"from": 50, "to": 50}},
        {"ACME Corp", "Acme Archived"},
        arch=True,
    )


async def test_another_tenants_ids_match_nothing(gql, org_data, engine):
    """The other tenant holds exactly what each filter asks for (an organization its
    admin owns, a contact of that organization, names the search finds), so only the
    tenant check stands between the filters and its records."""
    other = await other_tenant(engine)
    stranger_org = await Builder(other).org("Stranger Acme", owner_id=other.admin_id, size=50)
    await Builder(other).contact("Sam", "Stranger", organization_id=stranger_org)
    await assert_matches(gql, ORGS, {"owner": [gid("User", other.admin_id)]}, set())
    await assert_matches(gql, ORGS, {"search": "stranger"}, set())
    await assert_matches(gql, ORGS, {"search": "acme", "size": {"from": 50, "to": 50}}, {"ACME Corp"})
    await assert_matches(gql, CONTACTS, {"organization": [gid("Organization", stranger_org)]}, set())
    await assert_matches(gql, CONTACTS, {"search": "stranger"}, set())


# --- contacts --------------------------------------------------------------------


@pytest.fixture
async def contact_data(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    p1, p2 = await b.org("P1"), await b.org("P2")
    await b.contact("Ann", "Smith", emails=["ann@acme.example"], organization_id=p1)
    await b.contact("Bob", "Annenberg", emails=["bob@x.example"], organization_id=p2)
    await b.contact("Carl", "Jones", emails=["c.jones@example.org", "carl@home.example"])
    await b.contact("Dora", "Lee", organization_id=p1)
    await b.contact("Eve", "Smith", emails=["eve@acme.example"], organization_id=p1, archived_at=at(1))
    return {"p1": p1, "p2": p2}


CONTACTS = list_query("contacts", "Contact", "firstName")

CONTACT_CASES: list[Case] = [
    ("search first or last name", lambda d: {"search": "ann"}, {"Ann", "Bob"}),
    ("search last name, any case", lambda d: {"search": "SMITH"}, {"Ann"}),
    ("search part of a name", lambda d: {"search": "ARL"}, {"Carl"}),
    # Emails are stored lower-cased and matched as whole addresses.
    ("search an email, not the first one", lambda d: {"search": "carl@home.example"}, {"Carl"}),
    ("search an email, any case", lambda d: {"search": "Ann@ACME.example"}, {"Ann"}),
    ("search across first and last name", lambda d: {"search": "Lee"}, {"Dora"}),
    ("search no match", lambda d: {"search": "zzz"}, set()),
    ("organization", lambda d: {"organization": [gid("Organization", d["p1"])]}, {"Ann", "Dora"}),
    (
        "organizations",
        lambda d: {"organization": [gid("Organization", d["p1"]), gid("Organization", d["p2"])]},
        {"Ann", "Bob", "Dora"},
    ),
    ("organization with search", lambda d: {"organization": [gid("Organization", d["p1"])], "search": "ann"}, {"Ann"}),
    ("organization: same uuid, wrong type", lambda d: {"organization": [gid("Contact", d["p1"])]}, set()),
    ("organization: a user id", lambda d: {"organization": [gid("User", d["p1"])]}, set()),
    ("organization: malformed", lambda d: {"organization": ["%%%"]}, set()),
]


@pytest.mark.parametrize(("name", "make", "expected"), CONTACT_CASES, ids=[c[0] for c in CONTACT_CASES])
async def test_contact_filters(gql, contact_data, name, make, expected):
    await assert_matches(gql, CONTACTS, make(contact_data), expected)


async def test_nested_contacts_filter(gql, contact_data):
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on Organization {
        contacts(first: 10, filter: {search: "a"}) { totalCount edges { node { firstName } } } } } }""",
        {"id": gid("Organization", contact_data["p1"])},
    )
    contacts = data["node"]["contacts"]
    assert sorted(e["node"]["firstName"] for e in contacts["edges"]) == ["Ann", "Dora"]
    assert contacts["totalCount"] == 2


# --- opportunities ---------------------------------------------------------------


@pytest.fixture
async def opportunity_data(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    pid, stages = await b.pipeline()
    spec = [
        ("Deal A", "open", Decimal("1000.00"), day(10), "Qualification"),
        ("Deal B", "won", Decimal("1000.01"), day(20), "Closed Won"),
        ("Deal C", "lost", None, None, "Closed Lost"),
        ("Deal D", "open", Decimal("999.99"), day(15), "Proposal"),
        ("Deal E", "open", Decimal("5000"), day(20), "Proposal"),
    ]
    for name, status, amount, close, stage in spec:
        await b.opportunity(
            name, status=status, amount=amount, expected_close_date=close, pipeline_id=pid, stage_id=stages[stage]
        )
    return {"pipeline": pid, "stages": stages}


OPPORTUNITIES = list_query("opportunities", "Opportunity", "name")


def _stages(d: dict[str, Any], *names: str) -> list[str]:
    return [gid("Stage", d["stages"][n]) for n in names]


OPPORTUNITY_CASES: list[Case] = [
    ("status", lambda d: {"status": ["OPEN"]}, {"Deal A", "Deal D", "Deal E"}),
    ("statuses", lambda d: {"status": ["WON", "LOST"]}, {"Deal B", "Deal C"}),
    ("amount from", lambda d: {"amount": {"from": "1000.00"}}, {"Deal A", "Deal B", "Deal E"}),
    ("amount range inclusive", lambda d: {"amount": {"from": "999.99", "to": "1000.00"}}, {"Deal A", "Deal D"}),
    ("amount to", lambda d: {"amount": {"to": "1000"}}, {"Deal A", "Deal D"}),
    (
        "expectedCloseDate range inclusive",
        lambda d: {"expectedCloseDate": {"from": day(15).isoformat(), "to": day(20).isoformat()}},
        {"Deal B", "Deal D", "Deal E"},
    ),
    ("expectedCloseDate to", lambda d: {"expectedCloseDate": {"to": day(10).isoformat()}}, {"Deal A"}),
    ("stage", lambda d: {"stage": _stages(d, "Proposal")}, {"Deal D", "Deal E"}),
    ("stages", lambda d: {"stage": _stages(d, "Qualification", "Closed Won")}, {"Deal A", "Deal B"}),
    (
        "stage with status",
        lambda d: {"stage": _stages(d, "Proposal", "Closed Won"), "status": ["OPEN"]},
        {"Deal D", "Deal E"},
    ),
    ("stage: a pipeline id", lambda d: {"stage": [gid("Pipeline", d["pipeline"])]}, set()),
    (
        "stage: a stage's uuid under the pipeline type",
        lambda d: {"stage": [gid("Pipeline", d["stages"]["Proposal"])]},
        set(),
    ),
    ("status and amount", lambda d: {"status": ["OPEN"], "amount": {"from": "1000"}}, {"Deal A", "Deal E"}),
]


@pytest.mark.parametrize(("name", "make", "expected"), OPPORTUNITY_CASES, ids=[c[0] for c in OPPORTUNITY_CASES])
async def test_opportunity_filters(gql, opportunity_data, name, make, expected):
    await assert_matches(gql, OPPORTUNITIES, make(opportunity_data), expected)


# --- interactions ----------------------------------------------------------------


@pytest.fixture
async def interaction_data(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    org = await b.org("Org")
    spec = [
        ("I1", "call", at(0)),
        ("I2", "email", at(1)),
        ("I3", "meeting", at(2, hours=5)),
        ("I4", "call", at(3)),
        ("I5", "note", at(5)),
    ]
    for subject, kind, when in spec:
        await b.add("Interaction", subject=subject, kind=kind, occurred_at=when, organization_id=org)
    return {"org": org}


INTERACTIONS = list_query("interactions", "Interaction", "subject")

INTERACTION_CASES: list[Case] = [
    ("kinds", lambda d: {"kinds": ["CALL"]}, {"I1", "I4"}),
    ("kinds any of", lambda d: {"kinds": ["EMAIL", "MEETING"]}, {"I2", "I3"}),
    (
        "occurredAt range inclusive",
        lambda d: {"occurredAt": {"from": at(1).isoformat(), "to": at(3).isoformat()}},
        {"I2", "I3", "I4"},
    ),
    (
        "occurredAt from an exact instant",
        lambda d: {"occurredAt": {"from": at(2, hours=5).isoformat()}},
        {"I3", "I4", "I5"},
    ),
    ("occurredAt to", lambda d: {"occurredAt": {"to": at(0, seconds=1).isoformat()}}, {"I1"}),
    (
        "occurredAt in another time zone",
        lambda d: {"occurredAt": {"from": "2024-01-03T18:00:00+01:00"}},
        {"I3", "I4", "I5"},
    ),
    ("kinds and occurredAt", lambda d: {"kinds": ["CALL"], "occurredAt": {"from": at(1).isoformat()}}, {"I4"}),
    ("organization", lambda d: {"organization": [gid("Organization", d["org"])]}, {"I1", "I2", "I3", "I4", "I5"}),
    ("organization: wrong type", lambda d: {"organization": [gid("Opportunity", d["org"])]}, set()),
]


@pytest.mark.parametrize(("name", "make", "expected"), INTERACTION_CASES, ids=[c[0] for c in INTERACTION_CASES])
async def test_interaction_filters(gql, interaction_data, name, make, expected):
    await assert_matches(gql, INTERACTIONS, make(interaction_data), expected)


# --- tasks -----------------------------------------------------------------------


@pytest.fixture
async def task_data(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    spec = [
        ("T1", "open", at(1)),
        ("T2", "in_progress", at(2)),
        ("T3", "done", None),
        ("T4", "cancelled", at(5)),
        ("T5", "open", at(3)),
    ]
    for title, status, due in spec:
        await b.add("Task", title=title, status=status, due_at=due, assignee_id=tenant.admin_id)
    return {"admin": tenant.admin_id}


TASKS = list_query("tasks", "Task", "title")

TASK_CASES: list[Case] = [
    ("status", lambda d: {"status": ["OPEN"]}, {"T1", "T5"}),
    ("statuses", lambda d: {"status": ["DONE", "CANCELLED"]}, {"T3", "T4"}),
    ("status in progress", lambda d: {"status": ["IN_PROGRESS"]}, {"T2"}),
    (
        "dueAt range inclusive",
        lambda d: {"dueAt": {"from": at(2).isoformat(), "to": at(5).isoformat()}},
        {"T2", "T4", "T5"},
    ),
    ("dueAt to excludes tasks without a due date", lambda d: {"dueAt": {"to": at(1).isoformat()}}, {"T1"}),
    ("dueAt from", lambda d: {"dueAt": {"from": at(3).isoformat()}}, {"T4", "T5"}),
    ("status and dueAt", lambda d: {"status": ["OPEN"], "dueAt": {"from": at(2).isoformat()}}, {"T5"}),
    ("assignee", lambda d: {"assignee": [gid("User", d["admin"])]}, {"T1", "T2", "T3", "T4", "T5"}),
    ("assignee: wrong type", lambda d: {"assignee": [gid("Team", d["admin"])]}, set()),
]


@pytest.mark.parametrize(("name", "make", "expected"), TASK_CASES, ids=[c[0] for c in TASK_CASES])
async def test_task_filters(gql, task_data, name, make, expected):
    await assert_matches(gql, TASKS, make(task_data), expected)
