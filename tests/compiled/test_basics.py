"""The compiled path answers like the ordinary one, byte for byte."""

from __future__ import annotations

import pytest

ROLES = ["admin@demo.example", "rep1@demo.example", "analyst@demo.example"]

Q1 = """
{
  organizations(first: 50) {
    edges { node { id name industry createdAt
      contacts(first: 10) { edges { node { id firstName lastName
        interactions(first: 5) { edges { node { id kind subject occurredAt } } } } } } } }
  }
}
"""


@pytest.mark.parametrize("email", ROLES)
async def test_nested_lists(as_user, email):
    await as_user(email).same(Q1)


async def test_connection_parts(as_user):
    await as_user("rep1@demo.example").same("""
    { __typename organizations(first: 3, orderBy: {field: NAME, direction: DESC}) {
        __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
        edges { __typename cursor node { __typename id name kinds lifecycleStage tags attributes size
          owner { name email } } } } }
    """)
