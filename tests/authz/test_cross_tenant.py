"""Another tenant's IDs answer exactly like well-formed IDs that name nothing.

Every root query field (lists filtered by the other tenant's IDs, node, nodes),
nested connections and references, `neighbors`, `relationshipPath`, and every
mutation, given tenant B's real IDs, must return the same data, the same error types,
messages and paths as with a random ID of the same type, and leave B untouched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from tests.conftest import without_extensions

from crm_graph.domains.enabled import root_lists
from crm_graph.domains.notifications.service import notify
from crm_graph.domains.opportunities.models import Stage
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import FilterOp, entities
from crm_graph.readside.spec import entity as entity_named

from .conftest import PARTICIPANTS, TABLES, World, build_world, gid

ERRORS = "errors { __typename message path ... on ValidationError { code } }"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def random_of(entity_name: str) -> str:
    return to_global_id(entity_named(entity_name), uuid.uuid4())


@dataclass
class Probe:
    world: World
    b_ids: dict[str, str]  # entity name -> global ID of one of tenant B's records
    a: dict[str, str]  # handy global IDs of tenant A's records

    def foreign(self, entity_name: str) -> str:
        assert entity_name in self.b_ids, f"tenant B has no {entity_name} record to probe with"
        return self.b_ids[entity_name]


async def _tenant_tables(conn: Any) -> list[str]:
    rows = await conn.execute(
        sa.text(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name"
        )
    )
    return [r[0] for r in rows]


async def fingerprint(world: World) -> dict[str, Any]:
    """Every row of tenant B, hashed per table: any change to B shows here."""
    out: dict[str, Any] = {}
    async with world.engine.connect() as conn:
        for table in await _tenant_tables(conn):
            out[table] = tuple(
                (
                    await conn.execute(
                        sa.text(
                            f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
                            f"FROM {table} t WHERE tenant_id = :b"
                        ),
                        {"b": world.b.id},
                    )
                ).one()
            )
        out["tenants"] = (
            await conn.execute(sa.text("SELECT t::text FROM tenants t WHERE id = :b"), {"b": world.b.id})
        ).scalar_one()
    return out


@pytest.fixture(scope="module")
async def probe(world: World) -> Probe:
    # Tenant B works through the API too, so that it has stage history, audit entries
    # (and an API key, when they exist) to probe with.
    b = world.b_client()
    deal = await b(
        """mutation { opportunityCreate(input: {name: "B deal"}) { opportunity { id } errors { message } } }"""
    )
    # A catalog and a quote in review (with its approval request), as B's admin made them.
    book = await b("""mutation { priceBookCreate(input: {name: "B book", currency: "EUR"}) { priceBook { id } } }""")
    item = await b("""mutation { productCreate(input: {sku: "B-1", name: "B product"}) { product { id } } }""")
    book_id, item_id = book["priceBookCreate"]["priceBook"]["id"], item["productCreate"]["product"]["id"]
    await b(
        """mutation($b: ID!, $p: ID!) { priceBookEntrySet(input: {priceBookId: $b, productId: $p, listPrice: "10"}) {
        priceBookEntry { id } } }""",
        {"b": book_id, "p": item_id},
    )
    quote = await b(
        """mutation($o: ID!, $p: ID!) { quoteCreate(input: {opportunityId: $o,
        lines: [{productId: $p, quantity: "1", discountPercent: "50"}]}) { quote { id } errors { message } } }""",
        {"o": deal["opportunityCreate"]["opportunity"]["id"], "p": item_id},
    )
    await b(
        """mutation($q: ID!) { quoteSubmit(input: {id: $q}) { errors { message } } }""",
        {"q": quote["quoteCreate"]["quote"]["id"]},
    )
    await b("""mutation { apiKeyCreate(input: {name: "B key", role: "integration"}) { secret } }""")
    # A public IP literal: URL checks resolve host names, and tests have no DNS.
    hook = await b("""mutation { webhookCreate(input: {url: "https://93.184.216.34/hook", eventTypes: ["*"]}) {
        webhook { id } errors { message } } }""")
    await b(
        """mutation($id: ID!) { webhookTest(input: {id: $id}) { errors { message } } }""",
        {"id": hook["webhookCreate"]["webhook"]["id"]},
    )
    async with world.engine.begin() as conn:  # what a reminder job would leave B's admin
        await notify(
            conn,
            tenant_id=world.b.id,
            user_id=world.b.users["b-admin"],
            kind="task_due",
            title="B's reminder",
            dedupe_key="probe",
        )
    for operation in LEAD_RECORDS:  # a lead, a web form and the lead rules of B's own
        await b(operation)
    admin = world.client("admin")
    mine_leads = [(await admin(LEAD_OF_A, {"n": name}))["leadCreate"]["lead"]["id"] for name in ("Lovelace", "Hopper")]
    lead_rules = {
        key: (await admin(operation))[field][record]["id"] for key, (operation, field, record) in A_LEAD_RULES.items()
    }
    for tenant, client in ((world.b, b), (world.a, admin)):  # an assignment rule giving leads to each admin
        owner = gid("user", tenant.users["b-admin" if tenant is world.b else "admin"])
        made = await client(ASSIGNMENT_RULE, {"o": owner})
        lead_rules["assignment_rule"] = made["leadAssignmentRuleCreate"]["leadAssignmentRule"]["id"]
    b_ids: dict[str, str] = {}
    async with world.engine.connect() as conn:
        for e in entities():
            if "tenant_id" not in e.table.c:
                continue
            found = (
                await conn.execute(
                    sa.select(e.table.c.id).where(e.table.c.tenant_id == world.b.id).order_by(e.table.c.id).limit(1)
                )
            ).scalar()
            if found is not None:
                b_ids[e.name] = to_global_id(e, found)
        stages = Stage.__table__  # type: ignore[attr-defined]
        second_stage = (
            await conn.execute(
                sa.select(stages.c.id)
                .where(stages.c.pipeline_id == world.a.pipeline)
                .order_by(stages.c.position)
                .offset(1)
                .limit(1)
            )
        ).scalar_one()
    mine = world.mine
    a = {
        "org": gid("organization", mine["organization"]["admin"]),
        "org2": gid("organization", mine["organization"]["rep1"]),
        "contact": gid("contact", mine["contact"]["admin"]),
        "contact2": gid("contact", mine["contact"]["rep1"]),
        "opportunity": gid("opportunity", mine["opportunity"]["admin"]),
        "interaction": gid("interaction", mine["interaction"]["admin"]),
        "task": gid("task", mine["task"]["admin"]),
        "edge": gid("relationship", mine["relationship"]["admin"]),
        "pipeline": gid("pipeline", world.a.pipeline),
        "stage2": gid("stage", second_stage),
        "user": gid("user", world.a.users["admin"]),
        "team": gid("team", next(iter(world.a.teams.values()))),
        "lead": mine_leads[0],
        "lead2": mine_leads[1],
        **lead_rules,
    }
    a.update(await _a_catalog_and_quote(world.client("admin"), a["opportunity"]))
    return Probe(world, b_ids, a)


LEAD_RECORDS = (
    """mutation { leadCreate(input: {lastName: "B lead"}) { errors { message } } }""",
    """mutation { leadFormCreate(input: {name: "B form", fields: ["email"], origins: ["*"]}) { errors { message } } }""",
    """mutation { leadScoringRuleCreate(input: {name: "B", field: PHONE, operator: IS_SET, points: 1}) { errors { message } } }""",
)
ASSIGNMENT_RULE = """mutation($o: ID!) { leadAssignmentRuleCreate(input: {name: "Fallback", method: OWNER, ownerId: $o}) {
  leadAssignmentRule { id } errors { message } } }"""
LEAD_OF_A = """mutation($n: String!) { leadCreate(input: {firstName: "Ada", lastName: $n, company: "A corp"}) {
  lead { id } errors { message } } }"""
A_LEAD_RULES = {
    "form": (
        """mutation { leadFormCreate(input: {name: "A form", fields: ["email"], origins: ["*"]}) { leadForm { id } errors { message } } }""",
        "leadFormCreate",
        "leadForm",
    ),
    "scoring_rule": (
        """mutation { leadScoringRuleCreate(input: {name: "A", field: PHONE, operator: IS_SET, points: 1}) {
          leadScoringRule { id } errors { message } } }""",
        "leadScoringRuleCreate",
        "leadScoringRule",
    ),
}


async def _a_catalog_and_quote(client: Any, opportunity: str) -> dict[str, str]:
    """Tenant A's price book, product and a draft quote with one line: what the quote
    mutations' probes name beside the probed ID."""
    book = await client(
        """mutation { priceBookCreate(input: {name: "A book", currency: "EUR"}) { priceBook { id } } }"""
    )
    item = await client("""mutation { productCreate(input: {sku: "A-1", name: "A product"}) { product { id } } }""")
    book_id, item_id = book["priceBookCreate"]["priceBook"]["id"], item["productCreate"]["product"]["id"]
    await client(
        """mutation($b: ID!, $p: ID!) { priceBookEntrySet(input: {priceBookId: $b, productId: $p, listPrice: "10"}) {
        priceBookEntry { id } } }""",
        {"b": book_id, "p": item_id},
    )
    quote = await client(
        """mutation($o: ID!, $p: ID!) { quoteCreate(input: {opportunityId: $o, lines: [{productId: $p, quantity: "1"}]}) {
        quote { id lines(first: 1) { edges { node { id } } } } errors { message } } }""",
        {"o": opportunity, "p": item_id},
    )
    made = quote["quoteCreate"]["quote"]
    return {"book": book_id, "product": item_id, "quote": made["id"], "line": made["lines"]["edges"][0]["node"]["id"]}


# --- queries -------------------------------------------------------------------


def _ref_filters() -> list[Any]:
    params = []
    for field_name, entity_name in root_lists().items():
        for f in entity_named(entity_name).filters:
            if f.op is FilterOp.REF:
                params.append(pytest.param(camel(field_name), camel(f.name), f.entity, id=f"{field_name}.{f.name}"))
    return params


@pytest.mark.parametrize("role", ["admin", "sales_rep"])
@pytest.mark.parametrize(("field", "filter_name", "target"), _ref_filters())
async def test_a_list_filtered_by_another_tenants_id(
    probe: Probe, role: str, field: str, filter_name: str, target: str
) -> None:
    query = f"""query($ids: [ID!]) {{ {field}(first: 100, filter: {{{filter_name}: $ids}}) {{
      totalCount edges {{ node {{ id }} }} }} }}"""
    client = probe.world.as_role(role)
    theirs = await client.post(query, {"ids": [probe.foreign(target)]})
    unknown = await client.post(query, {"ids": [random_of(target)]})
    assert theirs == unknown
    # Not two identical refusals of a malformed query: answered, or refused for the role.
    codes = {(e.get("extensions") or {}).get("code") for e in theirs.get("errors") or []}
    assert codes <= {"FORBIDDEN"} and (role != "admin" or not codes), theirs


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def _probed_entities() -> list[str]:
    return [e.name for e in entities() if "tenant_id" in e.table.c]


@pytest.mark.parametrize("role", ["admin", "sales_rep"])
@pytest.mark.parametrize("entity_name", _probed_entities())
async def test_node_of_another_tenant(probe: Probe, role: str, entity_name: str) -> None:
    client = probe.world.as_role(role)
    theirs = await client.post(NODE, {"id": probe.foreign(entity_name)})
    unknown = await client.post(NODE, {"id": random_of(entity_name)})
    assert without_extensions(theirs) == without_extensions(unknown) == {"data": {"node": None}}


async def test_nodes_of_another_tenant(probe: Probe) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
    names = sorted(probe.b_ids)
    client = probe.world.client("admin")
    theirs = await client.post(query, {"ids": [probe.b_ids[n] for n in names]})
    unknown = await client.post(query, {"ids": [random_of(n) for n in names]})
    assert without_extensions(theirs) == without_extensions(unknown) == {"data": {"nodes": [None] * len(names)}}


PATH = """query($from: ID!, $to: ID!) { relationshipPath(from: $from, to: $to, maxDepth: 6) {
  length nodes { id } edges { id } } }"""


@pytest.mark.parametrize("end", ["from", "to"])
@pytest.mark.parametrize("entity_name", ["Organization", "Contact", "Opportunity"])
async def test_relationship_path_to_or_from_another_tenant(probe: Probe, end: str, entity_name: str) -> None:
    client = probe.world.client("admin")
    hub = gid("organization", probe.world.a.hub)  # joined to every opportunity of A
    other = "to" if end == "from" else "from"
    theirs = await client.post(PATH, {end: probe.foreign(entity_name), other: hub})
    unknown = await client.post(PATH, {end: random_of(entity_name), other: hub})
    assert without_extensions(theirs) == without_extensions(unknown) == {"data": {"relationshipPath": None}}


# --- nested connections, references and graph walks ----------------------------

CONNECTION = "(first: 100) { totalCount edges { node { id } } }"
VIEW = f"""query($p: ID!, $q: ID!, $c: ID!, $i: ID!, $c2: ID!, $t: ID!, $o: ID!, $bhub: ID!) {{
  p: node(id: $p) {{ ... on Organization {{
    contacts{CONNECTION} opportunities{CONNECTION} interactions{CONNECTION} tasks{CONNECTION}
    relationships{CONNECTION}
    neighbors(depth: 3) {{ totalCount edges {{ distance node {{ id }} relationship {{ id }} }} }} }} }}
  c: node(id: $c) {{ ... on Contact {{
    interactions{CONNECTION} opportunities{CONNECTION} tasks{CONNECTION} relationships{CONNECTION}
    neighbors(depth: 3) {{ totalCount edges {{ node {{ id }} }} }} }} }}
  i: node(id: $i) {{ ... on Interaction {{ contacts{CONNECTION} users{CONNECTION} organization {{ id }} }} }}
  c2: node(id: $c2) {{ ... on Contact {{ organization {{ id }} }} }}
  t: node(id: $t) {{ ... on Task {{ record {{ id }} }} }}
  o: node(id: $o) {{ ... on Opportunity {{ organization {{ id }} primaryContact {{ id }} }} }}
  pq: relationshipPath(from: $p, to: $q, maxDepth: 6) {{ length }}
  pb: relationshipPath(from: $p, to: $bhub, maxDepth: 6) {{ length }}
  relationships{CONNECTION}
  contacts{CONNECTION}
  opportunities{CONNECTION}
  interactions{CONNECTION}
  tasks{CONNECTION}
}}"""


async def test_rows_that_cross_tenants_stay_invisible(owner_engine: Any, authz_http: Any) -> None:
    """Rows of tenant B that point at tenant A's records (and rows of A pointing at B's),
    as a bug or a hand-made import could leave them, change nothing A sees."""
    world = await build_world(owner_engine, authz_http)  # of its own: these rows would skew other probes
    a, b = world.a, world.b
    p = await world.insert("organization", "admin")
    q = await world.insert("organization", "admin")
    c = await world.insert("contact", "admin", organization_id=p)
    i = await world.insert("interaction", "admin", organization_id=p)
    c2 = await world.insert("contact", "admin", organization_id=None)
    t = await world.insert("task", "admin", record_type=None, record_id=None)
    o = await world.insert("opportunity", "admin", organization_id=p, primary_contact_id=None)
    b_contact = world.foreign["contact"]
    variables = {
        "p": gid("organization", p),
        "q": gid("organization", q),
        "c": gid("contact", c),
        "i": gid("interaction", i),
        "c2": gid("contact", c2),
        "t": gid("task", t),
        "o": gid("opportunity", o),
        "bhub": gid("organization", b.hub),
    }
    client = world.client("admin")
    before = await client(VIEW, variables)

    edges = TABLES["relationship"]

    def edge(
        tenant: uuid.UUID, kind: str, source: tuple[str, uuid.UUID], target: tuple[str, uuid.UUID]
    ) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "tenant_id": tenant,
            "kind": kind,
            "source_type": source[0],
            "source_id": source[1],
            "target_type": target[0],
            "target_id": target[1],
        }

    async with owner_engine.begin() as conn:
        # Tenant B's rows pointing at A's records.
        await world.insert("contact", None, tenant="b", organization_id=p)
        await world.insert("opportunity", None, tenant="b", organization_id=p, primary_contact_id=c)
        b_interaction = await world.insert("interaction", None, tenant="b", organization_id=p)
        await conn.execute(sa.insert(PARTICIPANTS).values(tenant_id=b.id, interaction_id=b_interaction, contact_id=c))
        await world.insert("task", None, tenant="b", record_type="organization", record_id=p)
        await world.insert("task", None, tenant="b", record_type="contact", record_id=c)
        await conn.execute(
            sa.insert(edges),
            [
                edge(b.id, "partner_of", ("organization", p), ("organization", b.hub)),
                edge(b.id, "works_at", ("contact", c), ("organization", b.hub)),
                edge(b.id, "partner_of", ("organization", p), ("organization", q)),  # a bridge between A's records
                # Tenant A's rows pointing at B's records.
                edge(a.id, "partner_of", ("organization", p), ("organization", b.hub)),
                edge(a.id, "works_at", ("contact", c), ("organization", b.hub)),
            ],
        )
        await conn.execute(sa.insert(PARTICIPANTS).values(tenant_id=a.id, interaction_id=i, contact_id=b_contact))
        await conn.execute(
            sa.update(TABLES["contact"]).where(TABLES["contact"].c.id == c2).values(organization_id=b.hub)
        )
        await conn.execute(
            sa.update(TABLES["task"])
            .where(TABLES["task"].c.id == t)
            .values(record_type="organization", record_id=b.hub)
        )
        await conn.execute(
            sa.update(TABLES["opportunity"]).where(TABLES["opportunity"].c.id == o).values(primary_contact_id=b_contact)
        )

    after = await client(VIEW, variables)
    assert after == before


# --- mutations -----------------------------------------------------------------

X = "<probed id>"


@dataclass(frozen=True)
class MutationProbe:
    mutation: str
    path: str  # the input field holding the probed ID ("stages.id": inside a list of inputs)
    entity: str  # the type of ID it takes
    input: Callable[[dict[str, str]], dict[str, Any]]  # A's handy IDs -> the input, X where the probe goes

    @property
    def id(self) -> str:
        return f"{self.mutation}.{self.path}:{self.entity}"


STAGES = [{"id": X, "name": "Open"}, {"name": "Won", "isWon": True}, {"name": "Lost", "isLost": True}]

MUTATION_PROBES = [
    MutationProbe("organizationCreate", "ownerId", "User", lambda a: {"name": "Probe", "ownerId": X}),
    MutationProbe("organizationUpdate", "id", "Organization", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe("organizationUpdate", "ownerId", "User", lambda a: {"id": a["org"], "ownerId": X}),
    MutationProbe("organizationArchive", "id", "Organization", lambda a: {"id": X}),
    MutationProbe("organizationRestore", "id", "Organization", lambda a: {"id": X}),
    MutationProbe(
        "contactCreate",
        "organizationId",
        "Organization",
        lambda a: {"firstName": "Pro", "lastName": "Be", "organizationId": X},
    ),
    MutationProbe("contactCreate", "ownerId", "User", lambda a: {"firstName": "Pro", "lastName": "Be", "ownerId": X}),
    MutationProbe("contactUpdate", "id", "Contact", lambda a: {"id": X, "title": "Probe"}),
    MutationProbe(
        "contactUpdate", "organizationId", "Organization", lambda a: {"id": a["contact"], "organizationId": X}
    ),
    MutationProbe("contactUpdate", "ownerId", "User", lambda a: {"id": a["contact"], "ownerId": X}),
    MutationProbe("contactArchive", "id", "Contact", lambda a: {"id": X}),
    MutationProbe("contactRestore", "id", "Contact", lambda a: {"id": X}),
    MutationProbe("contactMerge", "survivorId", "Contact", lambda a: {"survivorId": X, "mergedIds": [a["contact2"]]}),
    MutationProbe("contactMerge", "mergedIds", "Contact", lambda a: {"survivorId": a["contact"], "mergedIds": [X]}),
    MutationProbe(
        "relationshipCreate",
        "sourceId",
        "Organization",
        lambda a: {"kind": "competing_on", "sourceId": X, "targetId": a["opportunity"]},
    ),
    MutationProbe(
        "relationshipCreate", "sourceId", "Contact", lambda a: {"kind": "works_at", "sourceId": X, "targetId": a["org"]}
    ),
    MutationProbe(
        "relationshipCreate",
        "targetId",
        "Opportunity",
        lambda a: {"kind": "competing_on", "sourceId": a["org"], "targetId": X},
    ),
    MutationProbe(
        "relationshipCreate",
        "targetId",
        "Organization",
        lambda a: {"kind": "partner_of", "sourceId": a["org"], "targetId": X},
    ),
    MutationProbe("relationshipUpdate", "id", "Relationship", lambda a: {"id": X, "note": "Probe"}),
    MutationProbe("relationshipDelete", "id", "Relationship", lambda a: {"id": X}),
    MutationProbe("pipelineCreate", "stages.id", "Stage", lambda a: {"name": "Probe pipeline", "stages": STAGES}),
    MutationProbe("pipelineUpdate", "id", "Pipeline", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe("pipelineUpdate", "stages.id", "Stage", lambda a: {"id": a["pipeline"], "stages": STAGES}),
    MutationProbe(
        "opportunityCreate", "organizationId", "Organization", lambda a: {"name": "Probe", "organizationId": X}
    ),
    MutationProbe(
        "opportunityCreate", "primaryContactId", "Contact", lambda a: {"name": "Probe", "primaryContactId": X}
    ),
    MutationProbe("opportunityCreate", "ownerId", "User", lambda a: {"name": "Probe", "ownerId": X}),
    MutationProbe("opportunityCreate", "pipelineId", "Pipeline", lambda a: {"name": "Probe", "pipelineId": X}),
    MutationProbe("opportunityCreate", "stageId", "Stage", lambda a: {"name": "Probe", "stageId": X}),
    MutationProbe("opportunityUpdate", "id", "Opportunity", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe(
        "opportunityUpdate", "organizationId", "Organization", lambda a: {"id": a["opportunity"], "organizationId": X}
    ),
    MutationProbe(
        "opportunityUpdate", "primaryContactId", "Contact", lambda a: {"id": a["opportunity"], "primaryContactId": X}
    ),
    MutationProbe("opportunityUpdate", "ownerId", "User", lambda a: {"id": a["opportunity"], "ownerId": X}),
    MutationProbe("opportunityMoveStage", "id", "Opportunity", lambda a: {"id": X, "stageId": a["stage2"]}),
    MutationProbe("opportunityMoveStage", "stageId", "Stage", lambda a: {"id": a["opportunity"], "stageId": X}),
    MutationProbe("opportunityWin", "id", "Opportunity", lambda a: {"id": X}),
    MutationProbe("opportunityLose", "id", "Opportunity", lambda a: {"id": X, "lostReason": "Probe"}),
    MutationProbe("opportunityArchive", "id", "Opportunity", lambda a: {"id": X}),
    MutationProbe("opportunityRestore", "id", "Opportunity", lambda a: {"id": X}),
    MutationProbe("interactionArchive", "id", "Interaction", lambda a: {"id": X}),
    MutationProbe("interactionRestore", "id", "Interaction", lambda a: {"id": X}),
    MutationProbe("taskArchive", "id", "Task", lambda a: {"id": X}),
    MutationProbe("taskRestore", "id", "Task", lambda a: {"id": X}),
    MutationProbe(
        "interactionLog",
        "organizationId",
        "Organization",
        lambda a: {"kind": "CALL", "subject": "P", "organizationId": X},
    ),
    MutationProbe(
        "interactionLog", "opportunityId", "Opportunity", lambda a: {"kind": "CALL", "subject": "P", "opportunityId": X}
    ),
    MutationProbe(
        "interactionLog",
        "contactIds",
        "Contact",
        lambda a: {"kind": "CALL", "subject": "P", "contactIds": [a["contact"], X]},
    ),
    MutationProbe("interactionLog", "userIds", "User", lambda a: {"kind": "CALL", "subject": "P", "userIds": [X]}),
    MutationProbe("interactionUpdate", "id", "Interaction", lambda a: {"id": X, "subject": "Probe"}),
    MutationProbe(
        "interactionUpdate", "organizationId", "Organization", lambda a: {"id": a["interaction"], "organizationId": X}
    ),
    MutationProbe(
        "interactionUpdate", "opportunityId", "Opportunity", lambda a: {"id": a["interaction"], "opportunityId": X}
    ),
    MutationProbe("interactionUpdate", "contactIds", "Contact", lambda a: {"id": a["interaction"], "contactIds": [X]}),
    MutationProbe(
        "interactionUpdate", "userIds", "User", lambda a: {"id": a["interaction"], "userIds": [a["user"], X]}
    ),
    MutationProbe("taskCreate", "assigneeId", "User", lambda a: {"title": "Probe", "assigneeId": X}),
    MutationProbe("taskCreate", "recordId", "Organization", lambda a: {"title": "Probe", "recordId": X}),
    MutationProbe("taskCreate", "recordId", "Contact", lambda a: {"title": "Probe", "recordId": X}),
    MutationProbe("taskCreate", "recordId", "Opportunity", lambda a: {"title": "Probe", "recordId": X}),
    MutationProbe("taskUpdate", "id", "Task", lambda a: {"id": X, "title": "Probe"}),
    MutationProbe("taskUpdate", "assigneeId", "User", lambda a: {"id": a["task"], "assigneeId": X}),
    MutationProbe("taskUpdate", "recordId", "Opportunity", lambda a: {"id": a["task"], "recordId": X}),
    MutationProbe("taskComplete", "id", "Task", lambda a: {"id": X}),
    MutationProbe("taskCreate", "recordId", "Lead", lambda a: {"title": "Probe", "recordId": X}),
    MutationProbe("interactionLog", "leadId", "Lead", lambda a: {"kind": "CALL", "subject": "P", "leadId": X}),
    MutationProbe("interactionUpdate", "leadId", "Lead", lambda a: {"id": a["interaction"], "leadId": X}),
    MutationProbe("leadCreate", "ownerId", "User", lambda a: {"lastName": "Probe", "ownerId": X}),
    MutationProbe("leadUpdate", "id", "Lead", lambda a: {"id": X, "title": "Probe"}),
    MutationProbe("leadUpdate", "ownerId", "User", lambda a: {"id": a["lead"], "ownerId": X}),
    MutationProbe("leadArchive", "id", "Lead", lambda a: {"id": X}),
    MutationProbe("leadRestore", "id", "Lead", lambda a: {"id": X}),
    MutationProbe("leadAssign", "id", "Lead", lambda a: {"id": X, "ownerId": a["user"]}),
    MutationProbe("leadAssign", "ownerId", "User", lambda a: {"id": a["lead"], "ownerId": X}),
    MutationProbe("leadMerge", "survivorId", "Lead", lambda a: {"survivorId": X, "mergedId": a["lead2"]}),
    MutationProbe("leadMerge", "mergedId", "Lead", lambda a: {"survivorId": a["lead"], "mergedId": X}),
    MutationProbe("leadConvert", "id", "Lead", lambda a: {"id": X}),
    MutationProbe("leadConvert", "organizationId", "Organization", lambda a: {"id": a["lead"], "organizationId": X}),
    MutationProbe("leadConvert", "contactId", "Contact", lambda a: {"id": a["lead"], "contactId": X}),
    MutationProbe(
        "leadConvert", "pipelineId", "Pipeline", lambda a: {"id": a["lead"], "createOpportunity": True, "pipelineId": X}
    ),
    MutationProbe(
        "leadConvert", "stageId", "Stage", lambda a: {"id": a["lead"], "createOpportunity": True, "stageId": X}
    ),
    MutationProbe(
        "leadAssignmentRuleCreate", "teamId", "Team", lambda a: {"name": "P", "method": "ROUND_ROBIN", "teamId": X}
    ),
    MutationProbe(
        "leadAssignmentRuleCreate", "ownerId", "User", lambda a: {"name": "P", "method": "OWNER", "ownerId": X}
    ),
    MutationProbe("leadAssignmentRuleUpdate", "id", "LeadAssignmentRule", lambda a: {"id": X, "name": "P"}),
    MutationProbe(
        "leadAssignmentRuleUpdate",
        "teamId",
        "Team",
        lambda a: {"id": a["assignment_rule"], "method": "ROUND_ROBIN", "teamId": X},
    ),
    MutationProbe("leadAssignmentRuleUpdate", "ownerId", "User", lambda a: {"id": a["assignment_rule"], "ownerId": X}),
    MutationProbe("leadAssignmentRuleArchive", "id", "LeadAssignmentRule", lambda a: {"id": X}),
    MutationProbe("leadAssignmentRuleRestore", "id", "LeadAssignmentRule", lambda a: {"id": X}),
    MutationProbe("leadScoringRuleUpdate", "id", "LeadScoringRule", lambda a: {"id": X, "points": 2}),
    MutationProbe("leadScoringRuleArchive", "id", "LeadScoringRule", lambda a: {"id": X}),
    MutationProbe("leadScoringRuleRestore", "id", "LeadScoringRule", lambda a: {"id": X}),
    MutationProbe("leadFormUpdate", "id", "LeadForm", lambda a: {"id": X, "name": "P"}),
    MutationProbe("leadFormArchive", "id", "LeadForm", lambda a: {"id": X}),
    MutationProbe("leadFormRestore", "id", "LeadForm", lambda a: {"id": X}),
    MutationProbe("roleRevoke", "id", "PolicyRule", lambda a: {"id": X}),
    MutationProbe("userAssignRole", "userId", "User", lambda a: {"userId": X, "roles": ["analyst"]}),
    MutationProbe("userDeactivate", "id", "User", lambda a: {"id": X}),
    MutationProbe("userReactivate", "id", "User", lambda a: {"id": X}),
    MutationProbe("teamCreate", "parentId", "Team", lambda a: {"name": "Probe team", "parentId": X}),
    MutationProbe("teamUpdate", "id", "Team", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe("teamUpdate", "parentId", "Team", lambda a: {"id": a["team"], "parentId": X}),
    MutationProbe("userSetTeam", "userId", "User", lambda a: {"userId": X, "teamId": a["team"]}),
    MutationProbe("userSetTeam", "teamId", "Team", lambda a: {"userId": a["user"], "teamId": X}),
    MutationProbe("apiKeyRevoke", "id", "ApiKey", lambda a: {"id": X}),
    MutationProbe("webhookUpdate", "id", "Webhook", lambda a: {"id": X, "description": "Probe"}),
    MutationProbe("webhookDelete", "id", "Webhook", lambda a: {"id": X}),
    MutationProbe("webhookRotateSecret", "id", "Webhook", lambda a: {"id": X}),
    MutationProbe("webhookTest", "id", "Webhook", lambda a: {"id": X}),
    MutationProbe("webhookRedeliver", "deliveryId", "WebhookDelivery", lambda a: {"deliveryId": X}),
    MutationProbe("notificationMarkRead", "id", "Notification", lambda a: {"id": X}),
    MutationProbe("productUpdate", "id", "Product", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe("productArchive", "id", "Product", lambda a: {"id": X}),
    MutationProbe("productRestore", "id", "Product", lambda a: {"id": X}),
    MutationProbe("priceBookUpdate", "id", "PriceBook", lambda a: {"id": X, "name": "Probe"}),
    MutationProbe("priceBookArchive", "id", "PriceBook", lambda a: {"id": X}),
    MutationProbe("priceBookRestore", "id", "PriceBook", lambda a: {"id": X}),
    MutationProbe(
        "priceBookEntrySet",
        "priceBookId",
        "PriceBook",
        lambda a: {"priceBookId": X, "productId": a["product"], "listPrice": "1"},
    ),
    MutationProbe(
        "priceBookEntrySet",
        "productId",
        "Product",
        lambda a: {"priceBookId": a["book"], "productId": X, "listPrice": "1"},
    ),
    MutationProbe("priceBookEntryArchive", "id", "PriceBookEntry", lambda a: {"id": X}),
    MutationProbe("priceBookEntryRestore", "id", "PriceBookEntry", lambda a: {"id": X}),
    MutationProbe("quoteCreate", "opportunityId", "Opportunity", lambda a: {"opportunityId": X}),
    MutationProbe(
        "quoteCreate", "priceBookId", "PriceBook", lambda a: {"opportunityId": a["opportunity"], "priceBookId": X}
    ),
    MutationProbe(
        "quoteCreate",
        "lines.productId",
        "Product",
        lambda a: {"opportunityId": a["opportunity"], "lines": [{"productId": X, "quantity": "1"}]},
    ),
    MutationProbe("quoteUpdate", "id", "Quote", lambda a: {"id": X, "name": "Probe"}),
    *(
        MutationProbe(name, "id", "Quote", lambda a: {"id": X})
        for name in ("quoteSubmit", "quoteApprove", "quoteSend", "quoteAccept", "quoteDecline", "quoteRevise")
    ),
    MutationProbe("quoteReject", "id", "Quote", lambda a: {"id": X, "comment": "Probe"}),
    MutationProbe("quoteArchive", "id", "Quote", lambda a: {"id": X}),
    MutationProbe("quoteRestore", "id", "Quote", lambda a: {"id": X}),
    MutationProbe(
        "quoteLineAdd", "quoteId", "Quote", lambda a: {"quoteId": X, "productId": a["product"], "quantity": "1"}
    ),
    MutationProbe(
        "quoteLineAdd", "productId", "Product", lambda a: {"quoteId": a["quote"], "productId": X, "quantity": "1"}
    ),
    MutationProbe("quoteLineUpdate", "id", "QuoteLine", lambda a: {"id": X, "quantity": "2"}),
    MutationProbe("quoteLineUpdate", "productId", "Product", lambda a: {"id": a["line"], "productId": X}),
    MutationProbe("quoteLineRemove", "id", "QuoteLine", lambda a: {"id": X}),
    # Users get Forbidden before the ID is looked at (API keys only); tests/api/test_embed.py
    # probes it with a key.
    MutationProbe(
        "embedTokenCreate", "recordId", "Contact", lambda a: {"origin": "https://portal.example.com", "recordId": X}
    ),
]


def _fill(value: Any, id_: str) -> Any:
    if value == X:
        return id_
    if isinstance(value, list):
        return [_fill(v, id_) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, id_) for k, v in value.items()}
    return value


INPUT_TYPES = """{ __schema { mutationType { fields { name args { name type { kind name ofType { kind name } } } } }
  types { name kind inputFields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }"""


async def _schema_inputs(world: World) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Mutation -> its input type; input type -> its fields as (name, named type)."""
    data = await world.client("admin")(INPUT_TYPES)

    def named(t: dict[str, Any]) -> str:
        while t.get("ofType"):
            t = t["ofType"]
        return str(t["name"])

    mutations = {}
    for f in data["__schema"]["mutationType"]["fields"]:
        (arg,) = [a for a in f["args"] if a["name"] == "input"]
        mutations[f["name"]] = named(arg["type"])
    inputs = {
        t["name"]: [(f["name"], named(f["type"])) for f in t["inputFields"]]
        for t in data["__schema"]["types"]
        if t["kind"] == "INPUT_OBJECT"
    }
    return mutations, inputs


def _id_paths(inputs: dict[str, list[tuple[str, str]]], type_name: str, prefix: str = "") -> set[str]:
    paths = set()
    for name, named in inputs[type_name]:
        if named == "ID":
            paths.add(prefix + name)
        elif named in inputs:
            paths |= _id_paths(inputs, named, f"{prefix}{name}.")
    return paths


async def test_every_id_a_mutation_takes_is_probed(world: World) -> None:
    mutations, inputs = await _schema_inputs(world)
    wanted = {(m, p) for m, input_type in mutations.items() for p in _id_paths(inputs, input_type)}
    probed = {(p.mutation, p.path) for p in MUTATION_PROBES}
    assert wanted - probed == set(), "add a MutationProbe for each of these"


@pytest.mark.parametrize("case", MUTATION_PROBES, ids=lambda c: c.id)
async def test_a_mutation_given_another_tenants_id(probe: Probe, case: MutationProbe) -> None:
    world = probe.world
    assert case.mutation in world.mutations, f"{case.mutation} is missing from the schema"
    mutations, _ = await _schema_inputs(world)
    query = (
        f"mutation($input: {mutations[case.mutation]}!) {{ {case.mutation}(input: $input) {{ __typename {ERRORS} }} }}"
    )
    template = case.input(probe.a)
    client = world.client("admin")
    untouched = await fingerprint(world)
    theirs = await client.post(query, {"input": _fill(template, probe.foreign(case.entity))})
    unknown = await client.post(query, {"input": _fill(template, random_of(case.entity))})
    assert theirs == unknown, "another tenant's ID must be answered as one that does not exist"
    assert not theirs.get("errors"), theirs
    assert theirs["data"][case.mutation]["errors"], "a mutation naming nothing must fail"
    assert await fingerprint(world) == untouched, "tenant B changed"
