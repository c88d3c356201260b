"""Errors a use case reports to its caller. The GraphQL layer turns them into data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    path: tuple[str, ...]  # input field path, e.g. ("name",) or ("emails", "2")
    message: str
    code: str = "INVALID"


class UseCaseError(Exception):
    """Base class: the use case refused; its transaction is rolled back."""


class Invalid(UseCaseError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{'.'.join(p.path)}: {p.message}" for p in problems))
        self.problems = problems


class NotFound(UseCaseError):
    def __init__(self, record_type: str, path: tuple[str, ...] = ("id",)) -> None:
        super().__init__(f"No {record_type} with this ID.")
        self.record_type = record_type
        self.path = path


class Conflict(UseCaseError):
    def __init__(self, record_type: str, current_version: int) -> None:
        super().__init__(f"The {record_type} was changed by someone else (now version {current_version}).")
        self.record_type = record_type
        self.current_version = current_version


class Forbidden(UseCaseError):
    def __init__(self, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.path = path
