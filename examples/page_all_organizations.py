"""Page through every organization with cursors, as an integration would.

    make run            # in another terminal
    export CRM_TOKEN=$(.venv/bin/crm-graph token --tenant demo --email admin@demo.example)
    .venv/bin/python examples/page_all_organizations.py
"""

from __future__ import annotations

import os
import sys

import httpx

URL = "http://127.0.0.1:8000/graphql"
QUERY = """
query Page($after: String) {
  organizations(first: 100, after: $after, orderBy: {field: NAME}) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name kinds } }
  }
}
"""


def main() -> None:
    after, seen = None, 0
    headers = {"Authorization": f"Bearer {os.environ['CRM_TOKEN']}"}
    with httpx.Client(timeout=30, headers=headers) as client:
        while True:
            body = client.post(URL, json={"query": QUERY, "variables": {"after": after}}).json()
            if body.get("errors"):
                sys.exit(f"error: {body['errors']}")
            page = body["data"]["organizations"]
            for edge in page["edges"]:
                seen += 1
                print(edge["node"]["name"], ", ".join(edge["node"]["kinds"]))
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    print(f"{seen} organizations", file=sys.stderr)


if __name__ == "__main__":
    main()
