"""Documents: which text an operation runs (persisted queries, trusted documents),
and its parse and validation, cached by text.

- Automatic persisted queries (Apollo's protocol): a client sends
  `extensions.persistedQuery.sha256Hash`; an unknown hash answers
  PERSISTED_QUERY_NOT_FOUND, and the client resends with the text, which is checked
  against the hash and kept in Redis (shared by all instances) for `apq_ttl_seconds`.
- Trusted documents (`CRM_TRUSTED_DOCUMENTS_ONLY=true`): only documents in the
  manifest (`CRM_TRUSTED_DOCUMENTS`, JSON) run, named by hash (`documentId`, or the
  APQ extension) or sent in full; anything else is refused before parsing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from crm_graph.graphql.limits import shape_errors
from crm_graph.lru import LRU
from crm_graph.settings import Settings

# Longer documents are parsed and validated every time rather than kept in memory.
CACHEABLE_LENGTH = 32_768
# Checked documents kept: at most this many, holding at most this much text in all. A
# parsed document stays in the heap as about one object per character of its text
# (2,048 documents of 2,000 tokens would be twelve million), and every full collection
# of the garbage collector walks them all while no request moves.
CACHED_DOCUMENTS = 2048
CACHED_CHARACTERS = 1_000_000


class DocumentError(Exception):
    """The request names no runnable document; `code` goes to extensions.code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _bare_hash(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.removeprefix("sha256:").lower()
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else None


def load_manifest(path: Path) -> dict[str, str]:
    """`{"<sha256>": "<document>", ...}`, or Apollo's persisted query manifest
    (`{"operations": [{"id": ..., "body": ...}]}`). Every hash is checked."""
    raw = json.loads(path.read_text())
    pairs = ([(op["id"], op["body"]) for op in raw["operations"]] if isinstance(raw, dict) and "operations" in raw
             else list(raw.items()))
    manifest = {}
    for given, body in pairs:
        digest = _bare_hash(given)
        if digest != sha256(body):
            raise ValueError(f"{path}: the document listed as {given!r} does not have that sha256")
        manifest[digest] = body
    return manifest


@dataclass(frozen=True)
class Checked:
    document: DocumentNode
    errors: list[GraphQLError]  # parse or validation errors; empty when valid


@dataclass(frozen=True)
class Text:
    query: str
    persist: bool = False  # an automatic persisted query to keep once it checks out


class Documents:
    def __init__(self, schema: GraphQLSchema, settings: Settings, redis: Any = None) -> None:
        self.schema = schema
        self.settings = settings
        self.redis = redis  # set when the app starts
        self.trusted: dict[str, str] = (
            load_manifest(settings.trusted_documents) if settings.trusted_documents else {}
        )
        if settings.trusted_documents_only and not self.trusted:
            raise ValueError("CRM_TRUSTED_DOCUMENTS_ONLY is on but CRM_TRUSTED_DOCUMENTS names no documents")
        self._rules = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
        self._checked = LRU(CACHED_DOCUMENTS, max_weight=CACHED_CHARACTERS)

    async def text(self, query: str | None, document_id: Any, extensions: dict[str, Any] | None) -> Text:
        """The document to run, from the text, a trusted document id or a persisted query hash."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is not None and not isinstance(persisted, dict):
            raise DocumentError("`extensions.persistedQuery` must be an object.", "BAD_REQUEST")
        wanted = _bare_hash(document_id) if document_id is not None else None
        if document_id is not None and wanted is None:
            raise DocumentError("`documentId` must be a sha256 hash.", "BAD_REQUEST")
        if persisted is not None and wanted is None:
            if persisted.get("version", 1) != 1:
                raise DocumentError("Only version 1 of persisted queries is supported.", "PERSISTED_QUERY_NOT_SUPPORTED")
            wanted = _bare_hash(persisted.get("sha256Hash"))
            if wanted is None:
                raise DocumentError("`persistedQuery.sha256Hash` must be a sha256 hash.", "BAD_REQUEST")
        if query is not None:
            # Hashed only when a hash is given or only trusted documents may run.
            digest = sha256(query) if wanted is not None or self.settings.trusted_documents_only else None
            if wanted is not None and wanted != digest:
                raise DocumentError("The query does not match its sha256 hash.", "PERSISTED_QUERY_HASH_MISMATCH")
            if self.settings.trusted_documents_only and digest not in self.trusted:
                raise DocumentError("Only trusted documents may run here; this one is not registered.",
                                    "TRUSTED_DOCUMENTS_ONLY")
            return Text(query, persist=persisted is not None and not self.settings.trusted_documents_only)
        if wanted is None:
            raise DocumentError("Pass `query`, or a persisted query hash.", "BAD_REQUEST")
        if wanted in self.trusted:
            return Text(self.trusted[wanted])
        if not self.settings.trusted_documents_only:
            stored = await self.redis.get(f"crm:apq:{wanted}")
            if stored is not None:
                return Text(stored.decode() if isinstance(stored, bytes) else str(stored))
        raise DocumentError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")

    async def persist(self, text: Text) -> None:
        """Keep an automatic persisted query; only documents that passed their checks are kept."""
        if text.persist:
            await self.redis.set(f"crm:apq:{sha256(text.query)}", text.query, ex=self.settings.apq_ttl_seconds)

    def check(self, query: str, introspection: bool) -> Checked:
        """The parsed document and its parse or validation errors."""
        if len(query) > CACHEABLE_LENGTH:
            return self._check(query, introspection)
        key = (query, introspection)
        checked = self._checked.get(key)
        if checked is None:
            checked = self._check(query, introspection)
            self._checked.put(key, checked, weight=len(query))
        return checked

    def _check(self, query: str, introspection: bool) -> Checked:
        try:
            document = parse(query, max_tokens=self.settings.max_tokens, no_location=False)
        except GraphQLError as error:
            if "Document contains more than" in error.message:
                error = GraphQLError(error.message, extensions={
                    "code": "LIMIT_EXCEEDED", "limit": "tokens", "maximum": self.settings.max_tokens})
            return Checked(DocumentNode(definitions=()), [error])
        settings = self.settings
        limits = shape_errors(document, settings.max_depth, settings.max_aliases, settings.max_directives)
        if limits:
            return Checked(document, limits)
        rules = self._rules if introspection else (*self._rules, NoSchemaIntrospectionCustomRule)
        # Suggestions ("Did you mean ...?") reveal the schema as introspection would.
        return Checked(document, validate(self.schema, document, rules, hide_suggestions=not introspection))
