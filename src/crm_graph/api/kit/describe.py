"""How the kit describes what it generates when a declaration says nothing more:
the schema is read in GraphiQL and generated clients, so every element says what it is."""

from __future__ import annotations

from typing import Any

from crm_graph.readside.spec import Filter, FilterOp


def describe_values(gql: Any, descriptions: dict[str, str]) -> None:
    """Give each value of a Strawberry enum its description (a missing one stays
    missing, and the schema's description test names it)."""
    for value in gql.__strawberry_definition__.values:
        value.description = descriptions.get(value.name, value.description)


def words(name: str) -> str:
    return name.replace("_", " ")


def filter_description(f: Filter) -> str:
    """The filter's own description, else one said from what it does."""
    if f.description:
        return f.description
    what = words(f.name)
    if f.op is FilterOp.SEARCH:
        return f"Case-insensitive text contained in {' or '.join(words(c) for c in f.columns)}."
    if f.op is FilterOp.REF:
        return f"Global IDs of {f.entity} records; matches records whose {what} is any of them."
    if f.op is FilterOp.RANGE:
        return f"Inclusive bounds on {what}; a record without one does not match."
    if f.op is FilterOp.IS_NULL:
        return f"True: only records whose {words(f.columns[0])} is not set; false: only those where it is."
    if f.op is FilterOp.OVERLAPS:
        return f"Matches records having at least one of these {what}."
    if f.op is FilterOp.CONTAINS_ALL:
        return f"Matches records having every one of these {what}."
    return f"Matches records whose {what} is any of these values."
