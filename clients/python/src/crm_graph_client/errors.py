"""Mutation payloads carry their refusals as data (`errors`: ValidationError, NotFound,
Forbidden, Conflict); `unwrap` turns a refused payload into an exception that keeps them typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar


class UserError(Protocol):
    @property
    def typename__(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def path(self) -> list[str] | None: ...


class Payload(Protocol):
    @property
    def errors(self) -> Sequence[Any]: ...


P = TypeVar("P", bound=Payload)


class PayloadError(Exception):
    """A mutation ran and changed nothing; `errors` are the payload's typed errors."""

    def __init__(self, errors: Sequence[UserError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{'.'.join(e.path)}: {e.message}" if e.path else e.message for e in errors))

    def of_type(self, typename: str) -> list[UserError]:
        return [e for e in self.errors if e.typename__ == typename]

    def for_field(self, field: str) -> UserError | None:
        """The first error about an input field, named without the leading "input"."""
        for error in self.errors:
            if ".".join(p for p in (error.path or []) if p != "input") == field:
                return error
        return None


def unwrap(payload: P) -> P:
    """The payload when it has no errors; otherwise raises PayloadError."""
    if payload.errors:
        raise PayloadError(payload.errors)
    return payload
