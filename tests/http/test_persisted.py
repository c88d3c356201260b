"""Persisted operations: automatic persisted queries (a client sends a sha256, the
server remembers documents in Redis for every instance) and trusted-documents mode
(only the documents of a manifest run)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import SECRET, TenantFixture
from tests.http.conftest import (
    bearer,
    create_organization,
    organization_names,
    serve_app,
)

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def unique(document: str) -> str:
    """The document with a comment that makes its hash new (Redis outlives test runs)."""
    return f"# {uuid.uuid4().hex}\n{document}"


def apq(document_hash: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": document_hash}}


async def post(client: httpx.AsyncClient, tenant: TenantFixture, **body: Any) -> httpx.Response:
    return await client.post("/graphql", json=body, headers=bearer(tenant))


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def data(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return dict(body["data"])


VIEWER = "query Me { viewer { email } }"
MAKE = "mutation Make($name: String!) { organizationCreate(input: {name: $name}) { organization { name } } }"


# --- automatic persisted queries -------------------------------------------------


@pytest.fixture(scope="module")
async def second_instance(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Another API instance on the same PostgreSQL and Redis."""
    async with serve_app(database_url, redis_url) as client:
        yield client


async def test_an_unknown_hash_asks_the_client_for_the_document(dev, tenant):
    response = await post(dev, tenant, extensions=apq(sha(unique(VIEWER))))

    # Apollo clients look for this message in a 200 response, then resend with the text.
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == "PersistedQueryNotFound"
    assert code(response) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_registered_hash_runs_on_every_instance_and_over_get(dev, second_instance, tenant):
    document = unique(VIEWER)
    expected = {"viewer": {"email": f"admin@{tenant.slug}.example"}}
    assert data(await post(dev, tenant, query=document, extensions=apq(sha(document)))) == expected

    assert data(await post(dev, tenant, extensions=apq(sha(document)))) == expected
    assert data(await post(second_instance, tenant, extensions=apq(sha(document)))) == expected
    over_get = await dev.get("/graphql", headers=bearer(tenant), params={"extensions": json.dumps(apq(sha(document)))})
    assert data(over_get) == expected


async def test_a_document_that_does_not_match_its_hash_is_refused_and_not_remembered(dev, tenant):
    claimed = sha(unique(VIEWER))
    response = await post(dev, tenant, query=unique(VIEWER), extensions=apq(claimed))

    assert code(response) == "PERSISTED_QUERY_HASH_MISMATCH" and "data" not in response.json()
    assert code(await post(dev, tenant, extensions=apq(claimed))) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_persisted_mutation_is_refused_over_get(dev, tenant, engine):
    document = unique(MAKE)
    first = f"Persisted {uuid.uuid4().hex[:6]}"
    registered = await post(dev, tenant, query=document, variables={"name": first}, extensions=apq(sha(document)))
    assert data(registered)["organizationCreate"]["organization"]["name"] == first

    second = f"Via GET {uuid.uuid4().hex[:6]}"
    response = await dev.get(
        "/graphql",
        headers=bearer(tenant),
        params={"extensions": json.dumps(apq(sha(document))), "variables": json.dumps({"name": second})},
    )

    assert response.status_code == 405, response.text
    assert second not in await organization_names(engine, tenant)


async def test_a_document_that_fails_its_checks_is_not_remembered(dev, tenant):
    # Otherwise anyone could store up to a megabyte per request in Redis for a week.
    document = unique("{ viewer { " + "id " * 3000 + "} }")
    response = await post(dev, tenant, query=document, extensions=apq(sha(document)))
    assert "data" not in response.json() and "2000 tokens" in response.json()["errors"][0]["message"]

    later = await post(dev, tenant, extensions=apq(sha(document)))

    assert code(later) == "PERSISTED_QUERY_NOT_FOUND", later.text


async def test_only_version_one_of_the_protocol_is_accepted(dev, tenant):
    document = unique(VIEWER)
    response = await post(dev, tenant, query=document, extensions=apq(sha(document), version=2))

    assert code(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert "data" not in response.json()


async def test_a_remembered_document_is_forgotten_after_its_ttl(database_url, redis_url, tenant):
    async with serve_app(database_url, redis_url, apq_ttl_seconds=1) as client:
        document = unique(VIEWER)
        assert data(await post(client, tenant, query=document, extensions=apq(sha(document))))
        assert data(await post(client, tenant, extensions=apq(sha(document))))

        await asyncio.sleep(2.1)

        assert code(await post(client, tenant, extensions=apq(sha(document)))) == "PERSISTED_QUERY_NOT_FOUND"


# --- trusted documents -------------------------------------------------------------

ORGANIZATIONS = "query Count($first: Int!) { organizations(first: $first) { totalCount } }"
TRUSTED = (VIEWER, ORGANIZATIONS, MAKE)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trusted") / "manifest.json"
    path.write_text(json.dumps({sha(d): d for d in TRUSTED}))
    return path


@pytest.fixture(scope="module")
async def trusted(database_url: str, redis_url: str, manifest: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_app(database_url, redis_url, trusted_documents_only=True, trusted_documents=manifest) as client:
        yield client


@pytest.mark.parametrize("how", ["documentId", "sha256-prefixed", "apq-extension", "full-text"])
async def test_a_trusted_document_runs_however_it_is_named(trusted, tenant, how):
    named: dict[str, Any] = {
        "documentId": {"documentId": sha(ORGANIZATIONS)},
        "sha256-prefixed": {"documentId": f"sha256:{sha(ORGANIZATIONS)}"},
        "apq-extension": {"extensions": apq(sha(ORGANIZATIONS))},
        "full-text": {"query": ORGANIZATIONS},
    }[how]
    response = await post(trusted, tenant, variables={"first": 10}, **named)

    assert data(response) == {"organizations": {"totalCount": 0}}


async def test_a_trusted_mutation_runs_by_its_id(trusted, tenant, engine):
    name = f"Trusted {uuid.uuid4().hex[:6]}"
    response = await post(trusted, tenant, documentId=sha(MAKE), variables={"name": name})

    assert data(response) == {"organizationCreate": {"organization": {"name": name}}}
    assert name in await organization_names(engine, tenant)


async def test_an_unregistered_document_is_refused_and_not_run(trusted, tenant, engine):
    name = f"Untrusted {uuid.uuid4().hex[:6]}"
    response = await post(trusted, tenant, query=create_organization(name))

    assert code(response) == "TRUSTED_DOCUMENTS_ONLY" and "data" not in response.json()
    assert name not in await organization_names(engine, tenant)


async def test_an_unregistered_document_cannot_register_itself_through_apq(trusted, tenant):
    document = unique(VIEWER)
    response = await post(trusted, tenant, query=document, extensions=apq(sha(document)))
    assert code(response) == "TRUSTED_DOCUMENTS_ONLY"

    assert code(await post(trusted, tenant, extensions=apq(sha(document)))) == "PERSISTED_QUERY_NOT_FOUND"
    assert code(await post(trusted, tenant, documentId=sha(document))) == "PERSISTED_QUERY_NOT_FOUND"


async def test_an_unregistered_mutation_sent_as_an_event_stream_does_not_run(trusted, tenant, engine):
    name = f"Streamed {uuid.uuid4().hex[:6]}"
    response = await trusted.post(
        "/graphql", json={"query": create_organization(name)}, headers={**bearer(tenant), "Accept": "text/event-stream"}
    )

    assert name not in await organization_names(engine, tenant), response.text


async def test_a_trusted_mutation_is_refused_over_get(trusted, tenant, engine):
    name = f"Via GET {uuid.uuid4().hex[:6]}"
    response = await trusted.get(
        "/graphql", headers=bearer(tenant), params={"documentId": sha(MAKE), "variables": json.dumps({"name": name})}
    )

    assert response.status_code == 405, response.text
    assert name not in await organization_names(engine, tenant)


async def test_a_malformed_document_id_is_a_400(trusted, tenant):
    response = await post(trusted, tenant, documentId="not-a-hash")

    assert response.status_code == 400 and code(response) == "BAD_REQUEST"


async def test_apollos_manifest_format_is_accepted(database_url, redis_url, tenant, tmp_path):
    path = tmp_path / "persisted-query-manifest.json"
    path.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha(VIEWER), "name": "Me", "type": "query", "body": VIEWER}],
            }
        )
    )
    async with serve_app(database_url, redis_url, trusted_documents_only=True, trusted_documents=path) as client:
        response = await post(client, tenant, documentId=sha(VIEWER))

    assert data(response) == {"viewer": {"email": f"admin@{tenant.slug}.example"}}


async def test_a_manifest_with_a_wrong_hash_stops_the_server_from_starting(database_url, redis_url, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({sha(VIEWER): ORGANIZATIONS}))
    with pytest.raises(ValueError, match="does not have that sha256"):
        create_app(
            Settings(
                database_url=database_url,
                redis_url=redis_url,
                jwt_secret=SECRET,
                trusted_documents_only=True,
                trusted_documents=path,
            )
        )


async def test_trusted_documents_only_without_a_manifest_stops_the_server_from_starting(database_url, redis_url):
    with pytest.raises(ValueError, match="names no documents"):
        create_app(
            Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, trusted_documents_only=True)
        )


# --- per tenant, bounded ------------------------------------------------------------


async def test_a_tenant_can_neither_use_nor_detect_another_tenants_persisted_query(dev, tenant, other):
    document = unique(VIEWER)
    kept = await post(dev, tenant, query=document, extensions=apq(sha(document)))
    assert data(kept)["viewer"]["email"].startswith("admin@")

    # For the other tenant the hash is unknown, exactly as a hash nobody persisted.
    theirs = await post(dev, other, extensions=apq(sha(document)))
    never = await post(dev, other, extensions=apq(sha(unique(VIEWER))))
    assert code(theirs) == code(never) == "PERSISTED_QUERY_NOT_FOUND"
    assert theirs.json() == never.json() and theirs.status_code == never.status_code
    assert "data" in (await post(dev, tenant, extensions=apq(sha(document)))).json()


async def test_a_document_too_long_to_persist_is_refused_and_not_kept(database_url, redis_url, tenant):
    async with serve_app(database_url, redis_url, apq_max_bytes=200) as client:
        document = unique(VIEWER) + " " * 200
        refused = await post(client, tenant, query=document, extensions=apq(sha(document)))
        assert code(refused) == "PERSISTED_QUERY_TOO_LARGE"
        assert "200 bytes" in refused.json()["errors"][0]["message"]
        assert code(await post(client, tenant, extensions=apq(sha(document)))) == "PERSISTED_QUERY_NOT_FOUND"
        # Sent without the extension, the same document runs.
        assert data(await post(client, tenant, query=document))["viewer"]


async def test_a_tenant_keeps_at_most_its_share_of_persisted_queries(database_url, redis_url, tenant, other):
    async with serve_app(database_url, redis_url, apq_max_per_tenant=2) as client:
        documents = [unique(VIEWER) for _ in range(3)]
        for document in documents[:2]:
            assert data(await post(client, tenant, query=document, extensions=apq(sha(document))))
        # Sending a kept one again is no new entry.
        assert data(await post(client, tenant, query=documents[0], extensions=apq(sha(documents[0]))))
        full = await post(client, tenant, query=documents[2], extensions=apq(sha(documents[2])))
        assert code(full) == "PERSISTED_QUERY_LIMIT"
        assert "at most 2 persisted queries" in full.json()["errors"][0]["message"]
        assert code(await post(client, tenant, extensions=apq(sha(documents[2])))) == "PERSISTED_QUERY_NOT_FOUND"
        # Another tenant's store is its own.
        assert data(await post(client, other, query=documents[2], extensions=apq(sha(documents[2]))))
