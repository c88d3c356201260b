"""A collector of input problems, so one response lists every bad field at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from crm_graph.errors import FieldProblem, Invalid

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9 ().\-]{5,20}$")


def as_utc(value: datetime | None) -> datetime | None:
    """A time without an offset is taken as UTC rather than the server's zone."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Checker:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[FieldProblem] = []

    def fail(self, field: str | tuple[str, ...], message: str, code: str = "INVALID") -> None:
        path = (field,) if isinstance(field, str) else field
        self.problems.append(FieldProblem(path, message, code))

    def given(self, field: str) -> bool:
        return field in self.data and self.data[field] is not None

    def text(self, field: str, *, required: bool = False, max_length: int = 500) -> None:
        if field not in self.data or self.data[field] is None:
            if required:
                self.fail(field, "This field is required.", "REQUIRED")
            return
        value = self.data[field]
        if not str(value).strip():
            if required:
                self.fail(field, "Must not be blank.", "BLANK")
        elif len(value) > max_length:
            self.fail(field, f"At most {max_length} characters.", "TOO_LONG")

    def pattern(self, field: str, regex: re.Pattern[str], message: str) -> None:
        if self.given(field) and not regex.match(self.data[field]):
            self.fail(field, message)

    def url(self, field: str) -> None:
        self.pattern(field, _URL, "Must be an http(s) URL.")

    def emails(self, field: str) -> None:
        for i, value in enumerate(self.data.get(field) or []):
            if not _EMAIL.match(value):
                self.fail((field, str(i)), "Not a valid email address.")

    def phones(self, field: str) -> None:
        for i, value in enumerate(self.data.get(field) or []):
            if not _PHONE.match(value):
                self.fail((field, str(i)), "Not a valid phone number.")

    def number(self, field: str, *, low: float | Decimal | None = None, high: float | Decimal | None = None) -> None:
        if not self.given(field):
            return
        value = self.data[field]
        if low is not None and value < low:
            self.fail(field, f"Must be at least {low}.", "OUT_OF_RANGE")
        if high is not None and value > high:
            self.fail(field, f"Must be at most {high}.", "OUT_OF_RANGE")

    def code(self, field: str, length: int, what: str) -> None:
        if self.given(field) and not re.fullmatch(rf"[A-Z]{{{length}}}", self.data[field]):
            self.fail(field, f"Must be a {length}-letter upper-case {what} code.")

    def tags(self, field: str) -> None:
        for i, value in enumerate(self.data.get(field) or []):
            if not value.strip() or len(value) > 64:
                self.fail((field, str(i)), "Tags are 1 to 64 characters.")

    def done(self) -> None:
        if self.problems:
            raise Invalid(self.problems)
