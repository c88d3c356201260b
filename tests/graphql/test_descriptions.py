"""Every public element of schema.graphql has a description: the frontend teams read it
in GraphiQL and in the generated clients (the equivalent of graphql-schema-linter's
description rules: types, fields, arguments, input fields and enum values)."""

from __future__ import annotations

from pathlib import Path

import graphql

SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(sdl: str) -> list[str]:
    schema = graphql.build_schema(sdl)
    missing: list[str] = []
    for name, t in sorted(schema.type_map.items()):
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not (t.description or "").strip():
            missing.append(name)
        if isinstance(t, graphql.GraphQLObjectType | graphql.GraphQLInterfaceType):
            for fname, f in t.fields.items():
                if not (f.description or "").strip():
                    missing.append(f"{name}.{fname}")
                missing += [f"{name}.{fname}({a})" for a, arg in f.args.items() if not (arg.description or "").strip()]
        elif isinstance(t, graphql.GraphQLInputObjectType):
            missing += [f"{name}.{fname}" for fname, f in t.fields.items() if not (f.description or "").strip()]
        elif isinstance(t, graphql.GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in t.values.items() if not (value.description or "").strip()]
    return missing


def test_every_type_field_argument_and_value_is_described() -> None:
    missing = undescribed(SCHEMA.read_text())
    assert not missing, f"{len(missing)} schema elements have no description, e.g. {missing[:40]}"


def test_the_check_finds_an_undescribed_field() -> None:
    assert undescribed('"""A type."""\ntype Query {\n  """Described."""\n  a: Int\n  b(x: Int): Int\n}') == [
        "Query.b",
        "Query.b(x)",
    ]
