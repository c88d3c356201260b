"""Page through every organization with the typed Python client (clients/python), as an
integration would.

    make run            # in another terminal
    export CRM_TOKEN=$(.venv/bin/crm-graph token --tenant demo --email admin@demo.example)
    PYTHONPATH=clients/python/src .venv/bin/python examples/page_all_organizations.py

(or `pip install ./clients/python` into your own environment). CRM_URL overrides the
default http://127.0.0.1:8000/graphql.
"""

from __future__ import annotations

import asyncio
import os
import sys

from crm_graph_client import CrmClient, paginate


async def main() -> None:
    url = os.environ.get("CRM_URL", "http://127.0.0.1:8000/graphql")
    seen = 0
    async with CrmClient(url, os.environ["CRM_TOKEN"]) as crm:
        pages = paginate(lambda after: crm.organizations_page(first=100, after=after), lambda page: page.organizations)
        async for organization in pages:
            seen += 1
            print(organization.name, ", ".join(kind.value for kind in organization.kinds))
    print(f"{seen} organizations", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
