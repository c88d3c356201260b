"""The checked-in schema is what the code serves, and no root field lacks a policy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import strawberry

from crm_graph.api.kit.fields import POLICY_KEY, check_policies, root_field
from crm_graph.api.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_is_current():
    exported = subprocess.run(
        [sys.executable, "-m", "crm_graph", "export-schema"], capture_output=True, text=True, check=True
    ).stdout
    checked_in = (ROOT / "schema.graphql").read_text()
    assert exported == checked_in, "schema.graphql is stale: run `make schema` and commit it"


def test_every_root_field_declares_a_policy():
    for root in (schema.query, schema.mutation):
        for field in root.__strawberry_definition__.fields:
            assert POLICY_KEY in field.metadata, field.python_name


def test_a_root_field_without_policy_refuses_to_build():
    @strawberry.type
    class Query:
        @strawberry.field
        def leaky(self) -> int:
            return 1

    with pytest.raises(TypeError, match=r"Query\.leaky"):
        check_policies(strawberry.Schema(query=Query))


def test_root_field_requires_exactly_one_of_policy_or_public():
    def resolver() -> int:
        return 1

    with pytest.raises(TypeError):
        root_field(resolver=resolver)
