"""CrmClient: the generated client with crm-graph's authentication filled in."""

from __future__ import annotations

from typing import Any

import httpx

from crm_graph_client.generated.client import GeneratedClient


class CrmClient(GeneratedClient):
    """Typed async methods for the operations in operations.graphql (`viewer()`,
    `organizations_page(...)`, `organization_create(input=...)`, `events(...)` for a
    subscription, ...), sending `token` (a bearer token or an API key) over HTTP and in
    the graphql-transport-ws `connection_init` payload."""

    def __init__(self, url: str, token: str, *, ws_url: str | None = None, timeout: float = 30.0,
                 http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        authorization = f"Bearer {token}"
        headers = {"Authorization": authorization}
        super().__init__(
            url=url,
            headers=headers,
            http_client=http_client or httpx.AsyncClient(headers=headers, timeout=timeout),
            ws_url=ws_url or "ws" + url.removeprefix("http"),
            ws_connection_init_payload={"authorization": authorization},
            **kwargs,
        )
