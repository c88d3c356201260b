"""Home of the generated GraphQL types (see builder.py); import names from here.

Built once from every domain's read declarations and the fields domains add to them
(a domain's `type_fields` module: EXTRA_FIELDS and TYPES).
"""

import importlib
from typing import Any

from crm_graph.api.kit.builder import build_all, export_type
from crm_graph.api.kit.node import Node, PageInfo  # noqa: F401
from crm_graph.domains.enabled import DOMAINS
from crm_graph.readside.spec import entities


def _extra_fields() -> dict[str, dict[str, Any]]:
    extra: dict[str, dict[str, Any]] = {}
    for domain in DOMAINS:
        if domain.type_fields is None:
            continue
        module = importlib.import_module(domain.type_fields)
        for type_name, fields in getattr(module, "EXTRA_FIELDS", {}).items():
            extra.setdefault(type_name, {}).update(fields)
        for cls in getattr(module, "TYPES", ()):
            export_type(cls)
    return extra


build_all(entities(), _extra_fields())
