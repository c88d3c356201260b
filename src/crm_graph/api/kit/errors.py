"""GraphQL errors raised for bad arguments (not mutation results: those are data)."""

from __future__ import annotations

from graphql import GraphQLError


def forbidden(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "FORBIDDEN"})


def bad_input(message: str, argument: str | None = None) -> GraphQLError:
    extensions: dict[str, object] = {"code": "BAD_USER_INPUT"}
    if argument:
        extensions["argument"] = argument
    return GraphQLError(message, extensions=extensions)
