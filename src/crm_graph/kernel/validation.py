"""A collector of input problems, so one response lists every bad field at once."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from crm_graph.kernel.errors import FieldProblem, Invalid

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9 ().\-]{5,20}$")
# Custom attributes are stored as jsonb and served by orjson. jsonb keeps a number as
# numeric, so 1e20 comes back as the integer 100000000000000000000, which orjson cannot
# encode beyond 64 bits: every number, integer or not, stays within ±2**63 (and finite).
# jsonb refuses a NUL, and nesting is kept shallow enough for every recursive reader.
MAX_JSON_DEPTH = 32
MAX_JSON_INTEGER = 2**63


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

    def json_object(self, field: str) -> None:
        """A JSON object PostgreSQL can store and every reader can read back."""
        if not self.given(field):
            return
        value = self.data[field]
        if not isinstance(value, dict):
            self.fail(field, "Must be a JSON object.")
            return
        problem = _json_problem(value, 1)
        if problem is not None:
            self.fail(field, problem, "UNSUPPORTED_VALUE")

    def done(self) -> None:
        if self.problems:
            raise Invalid(self.problems)


def _json_problem(value: Any, depth: int) -> str | None:
    """What makes `value` (an object or array at `depth`, or a scalar) unstorable, if anything."""
    if isinstance(value, (dict, list)) and depth > MAX_JSON_DEPTH:
        return f"Nested more than {MAX_JSON_DEPTH} levels deep."
    if isinstance(value, dict):
        items = list(value.items())
        for key, _ in items:
            if "\x00" in key:
                return "Keys must not contain the NUL character."
        children = [child for _, child in items]
    elif isinstance(value, list):
        children = value
    elif isinstance(value, bool) or value is None:
        return None
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "Numbers must be finite."
        return None if -MAX_JSON_INTEGER <= value < MAX_JSON_INTEGER else "Numbers must lie within ±2^63."
    elif isinstance(value, str):
        return "Strings must not contain the NUL character." if "\x00" in value else None
    else:
        return "Not a JSON value."
    for child in children:
        if (problem := _json_problem(child, depth + 1)) is not None:
            return problem
    return None
