"""Home of the generated GraphQL types (see builder.py); import names from here."""

from crm_graph.platform.audit import api as audit  # noqa: F401  (add their fields before the build)
from crm_graph.domains.relationships import api_graph as graph  # noqa: F401  (add their fields before the build)
from crm_graph.api.kit.builder import build_all
from crm_graph.api.kit.node import Node, PageInfo  # noqa: F401
from crm_graph.readside import registry  # noqa: F401
from crm_graph.readside.spec import entities

build_all(entities())
