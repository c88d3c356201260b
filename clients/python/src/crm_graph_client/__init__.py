"""Typed async client for crm-graph: the methods are generated from schema.graphql and
operations.graphql by ariadne-codegen (crm_graph_client.generated, do not edit); the
rest is written by hand."""

from crm_graph_client.client import CrmClient
from crm_graph_client.errors import PayloadError, unwrap
from crm_graph_client.generated.exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
)
from crm_graph_client.paging import paginate
from crm_graph_client.webhooks import WebhookVerificationError, verify

__all__ = [
    "CrmClient",
    "GraphQLClientError",
    "GraphQLClientGraphQLMultiError",
    "GraphQLClientHttpError",
    "PayloadError",
    "WebhookVerificationError",
    "paginate",
    "unwrap",
    "verify",
]
