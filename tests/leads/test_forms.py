"""Web-to-lead: admins create forms; `POST /forms/<key>` from an allowed page makes a
lead (source WEB_FORM, assigned by the rules); unknown keys, other origins, honeypot
posts and floods are refused, and nothing else of the API is reachable there."""

from __future__ import annotations

from typing import Any

from tests.leads.common import FORM_CREATE, FORM_UPDATE, RULE_CREATE, SCORING_CREATE, gid, ok, problems, raw_id, team

SITE = "https://www.example.com"
LIST = "{ leads(first: 20) { totalCount edges { node { lastName company emails source status formPosts score owner { id } form { id } } } } }"


async def form(gql: Any, **given: Any) -> dict[str, Any]:
    data = await gql(
        FORM_CREATE,
        {
            "input": {
                "name": "Contact us",
                "fields": ["first_name", "last_name", "company", "email", "country", "email_opt_in"],
                "origins": [SITE],
                **given,
            }
        },
    )
    return ok(data, "leadFormCreate", "leadForm")


async def post(tenant: Any, key: str, body: dict[str, Any], origin: str | None = SITE, **kw: Any) -> Any:
    headers = {"Origin": origin} if origin else {}
    return await tenant.http.post(f"/forms/{key}", data=body, headers={**headers, **kw.pop("headers", {})}, **kw)


async def leads(gql: Any) -> dict[str, Any]:
    return (await gql(LIST))["leads"]


async def test_a_good_post_creates_a_web_form_lead_assigned_by_the_rules(tenant, gql):
    reps = await team(gql, "Inbound")
    rep = gid("User", await tenant.user(f"in@{tenant.slug}.example", ["sales_rep"], raw_id(reps)))
    await gql(RULE_CREATE, {"input": {"name": "Inbound", "method": "ROUND_ROBIN", "teamId": reps}})
    await gql(SCORING_CREATE, {"input": {"name": "Web", "field": "SOURCE", "value": "web_form", "points": 10}})
    await gql(SCORING_CREATE, {"input": {"name": "Posts", "field": "FORM_POSTS", "points": 3}})
    created = await form(gql, campaignId="spring")
    response = await post(
        tenant,
        created["key"],
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ADA@x.example",
            "title": "ignored",
            "email_opt_in": "on",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"accepted": True}
    assert response.headers["access-control-allow-origin"] == SITE
    found = await leads(gql)
    assert found["totalCount"] == 1
    lead = found["edges"][0]["node"]
    assert (lead["lastName"], lead["emails"], lead["source"], lead["status"]) == (
        "Lovelace",
        ["ada@x.example"],
        "WEB_FORM",
        "NEW",
    )
    assert (lead["formPosts"], lead["score"], lead["owner"], lead["form"]) == (
        1,
        13,
        {"id": rep},
        {"id": created["id"]},
    )
    # The same person posting again is counted on the same lead, not duplicated (JSON works too).
    again = await tenant.http.post(
        f"/forms/{created['key']}", json={"email": "ada@x.example", "company": "Engines"}, headers={"Origin": SITE}
    )
    assert again.status_code == 201
    found = await leads(gql)
    assert found["totalCount"] == 1
    assert (
        found["edges"][0]["node"]["formPosts"],
        found["edges"][0]["node"]["company"],
        found["edges"][0]["node"]["score"],
    ) == (2, "Engines", 16)


async def test_unknown_key_other_origin_and_honeypot_are_refused(tenant, gql):
    created = await form(gql)
    key = created["key"]
    body = {"last_name": "Bot"}
    unknown = await post(tenant, "x" * 32, body)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "UNKNOWN_FORM")
    elsewhere = await post(tenant, key, body, origin="https://evil.example")
    assert (elsewhere.status_code, elsewhere.json()["error"]["code"]) == (403, "FORBIDDEN_ORIGIN")
    assert "access-control-allow-origin" not in elsewhere.headers
    no_origin = await post(tenant, key, body, origin=None)
    assert no_origin.status_code == 403
    honeypot = await post(tenant, key, {**body, "website_url": "http://spam.example"})
    assert (honeypot.status_code, honeypot.json()["error"]["code"]) == (400, "REJECTED")
    invalid = await post(tenant, key, {"email": "not-an-email"})
    assert invalid.status_code == 422
    assert {p["field"] for p in invalid.json()["error"]["problems"]} == {"email.0"}
    assert (await leads(gql))["totalCount"] == 0
    # An archived form's key is unknown.
    await gql(
        "mutation($i: RecordArchiveInput!) { leadFormArchive(input: $i) { errors { message } } }",
        {"i": {"id": created["id"]}},
    )
    assert (await post(tenant, key, body)).status_code == 404
    assert (await leads(gql))["totalCount"] == 0


async def test_nothing_else_of_the_api_is_reachable_through_a_form(tenant, gql):
    key = (await form(gql))["key"]
    token = tenant.client().token
    # A GraphQL document posted there is a form body like any other: it is not run.
    as_graphql = await tenant.http.post(
        f"/forms/{key}",
        json={
            "query": 'mutation { leadFormCreate(input: {name: "x", fields: ["email"], origins: ["*"]}) { leadForm { key } } }'
        },
        headers={"Origin": SITE, "Authorization": f"Bearer {token}"},
    )
    assert as_graphql.status_code == 422  # no last name, company or email: not a lead
    assert "leadForm" not in as_graphql.text
    for path in (f"/forms/{key}/graphql", f"/forms/{key}%2F..%2F..%2Fgraphql", "/forms/"):
        response = await tenant.http.post(
            path, json={"query": "{ leads(first: 1) { totalCount } }"}, headers={"Origin": SITE}
        )
        assert response.status_code == 404, path
        assert "data" not in response.json()
    get = await tenant.http.get(f"/forms/{key}", headers={"Origin": SITE})
    assert get.status_code == 405
    preflight = await tenant.http.options(
        f"/forms/{key}", headers={"Origin": SITE, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == SITE
    forms = await gql("{ leadForms(first: 5) { totalCount } }")
    assert forms["leadForms"]["totalCount"] == 1


async def test_a_flood_from_one_address_is_throttled(tenant, gql):
    key = (await form(gql, rateLimitPerMinute=3))["key"]
    statuses = [(await post(tenant, key, {"last_name": f"P{i}"})).status_code for i in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    throttled = await post(tenant, key, {"last_name": "Late"})
    assert int(throttled.headers["retry-after"]) >= 1
    assert (await leads(gql))["totalCount"] == 3


async def test_form_mutations_bad_input_conflict_and_who_may(tenant, gql):
    bad = await gql(
        FORM_CREATE,
        {
            "input": {
                "name": "Bad",
                "fields": ["first_name", "password"],
                "origins": ["not an origin"],
                "honeypotField": "first_name",
                "rateLimitPerMinute": 0,
            }
        },
    )
    assert problems(bad, "leadFormCreate") == {
        (("input", "fields", "1"), "INVALID"),
        (("input", "fields"), "REQUIRED"),
        (("input", "origins", "0"), "INVALID"),
        (("input", "honeypotField"), "INVALID"),
        (("input", "rateLimitPerMinute"), "OUT_OF_RANGE"),
    }
    created = await form(gql, origins=["HTTPS://WWW.Example.com/"])
    assert created["origins"] == [SITE] and created["createdBy"] == {"id": gid("User", tenant.admin_id)}
    assert len(created["key"]) >= 24
    stale = await gql(FORM_UPDATE, {"input": {"id": created["id"], "expectedVersion": 3, "name": "New"}})
    assert problems(stale, "leadFormUpdate") == {(("input", "expectedVersion"), "Conflict")}
    updated = ok(
        await gql(FORM_UPDATE, {"input": {"id": created["id"], "origins": ["*"]}}), "leadFormUpdate", "leadForm"
    )
    assert updated["origins"] == ["*"] and updated["key"] == created["key"]
    # Any page may post a form open to `*`, and a server without Origin too.
    assert (await post(tenant, created["key"], {"last_name": "Any"}, origin="https://other.example")).status_code == 201
    manager = tenant.client(await tenant.user(f"m@{tenant.slug}.example", ["sales_manager"]))
    refused = (
        await manager.post(FORM_CREATE, {"input": {"name": "Mine", "fields": ["email"], "origins": [SITE]}})
    ).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
