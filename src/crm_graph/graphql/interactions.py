"""Interactions mutations."""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, Any] = {}
