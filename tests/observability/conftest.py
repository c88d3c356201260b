"""An API process with a metrics token, and reading what its /metrics says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.conftest import SECRET, GraphQLClient

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings

TOKEN = "metrics-token-of-the-tests"


@dataclass
class Scrape:
    text: str
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]
    families: set[str]

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def total(self, name: str, **labels: str) -> float:
        """Summed over the samples whose labels include `labels`."""
        wanted = set(labels.items())
        return sum(v for (n, ls), v in self.samples.items() if n == name and wanted <= ls)


def parse(text: str) -> Scrape:
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    families: set[str] = set()
    for family in text_string_to_metric_families(text):
        families.add(family.name)
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return Scrape(text, samples, families)


@dataclass
class MetricsAPI:
    app: Any
    client: httpx.AsyncClient
    settings: Settings

    @property
    def state(self) -> Any:
        route = next(r for r in self.app.routes if getattr(r, "path", None) == "/metrics")
        return route.endpoint.state

    async def scrape(self) -> Scrape:
        response = await self.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        return parse(response.text)


@pytest.fixture(scope="module")
async def metrics_api(database_url: str, redis_url: str) -> AsyncIterator[MetricsAPI]:
    settings = Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, metrics_token=TOKEN)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as c,
    ):
        yield MetricsAPI(app, c, settings)


@pytest.fixture
def one_path(tenant: Any, http_ordinary: Any) -> GraphQLClient:
    """The tenant admin's client on one read path: the shared `http` client runs each
    query on both paths, which would log, count and trace it twice."""
    return GraphQLClient(http_ordinary, tenant.client().token)
