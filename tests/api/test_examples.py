"""The documents in examples/ run as written against the demo data."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _document(name: str) -> str:
    return (EXAMPLES / name).read_text()


async def test_first_query(demo):
    client = demo.client("admin@demo.example")
    body = (await client.post(_document("first-query.graphql"))).json()
    assert not body.get("errors"), body
    organizations = body["data"]["organizations"]
    assert organizations["totalCount"] > 0
    assert all(e["node"]["name"] for e in organizations["edges"])


async def test_warm_introduction_and_neighborhood(demo):
    client = demo.client("admin@demo.example")
    edges = await client(
        '{ relationships(first: 1, filter: {kinds: ["partner_of"]}) { edges { node { source { id } target { id } } } } }'
    )
    edge = edges["relationships"]["edges"][0]["node"]
    document = _document("warm-introduction.graphql")
    path = await client.http.post(
        "/graphql",
        json={
            "query": document,
            "operationName": "WarmIntroduction",
            "variables": {"from": edge["source"]["id"], "to": edge["target"]["id"]},
        },
        headers={"Authorization": f"Bearer {client.token}"},
    )
    body = path.json()
    assert not body.get("errors"), body
    assert body["data"]["relationshipPath"]["length"] == 1
    response = await client.http.post(
        "/graphql",
        json={"query": document, "operationName": "Neighborhood", "variables": {"id": edge["source"]["id"]}},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    neighborhood = response.json()
    assert not neighborhood.get("errors"), neighborhood
    assert neighborhood["data"]["node"]["neighbors"]["totalCount"] >= 1


async def test_mutations(gql):
    document = _document("mutations.graphql")
    created = (
        await gql.http.post(
            "/graphql",
            json={"query": document, "operationName": "CreateOrganization"},
            headers={"Authorization": f"Bearer {gql.token}"},
        )
    ).json()
    organization = created["data"]["organizationCreate"]["organization"]
    assert created["data"]["organizationCreate"]["errors"] == []
    promoted = (
        await gql.http.post(
            "/graphql",
            json={
                "query": document,
                "operationName": "PromoteToCustomer",
                "variables": {"id": organization["id"], "version": 1},
            },
            headers={"Authorization": f"Bearer {gql.token}"},
        )
    ).json()
    assert promoted["data"]["organizationUpdate"]["organization"]["kinds"] == ["CUSTOMER"]
    stale = (
        await gql.http.post(
            "/graphql",
            json={
                "query": document,
                "operationName": "PromoteToCustomer",
                "variables": {"id": organization["id"], "version": 1},
            },
            headers={"Authorization": f"Bearer {gql.token}"},
        )
    ).json()
    assert stale["data"]["organizationUpdate"]["errors"][0]["__typename"] == "Conflict"
