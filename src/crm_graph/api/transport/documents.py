"""Documents: which text an operation runs (persisted queries, trusted documents),
and its parse and validation, cached by text.

- Automatic persisted queries (Apollo's protocol): a client sends
  `extensions.persistedQuery.sha256Hash`; an unknown hash answers
  PERSISTED_QUERY_NOT_FOUND, and the client resends with the text, which is checked
  against the hash and kept in Redis (shared by all instances) for `apq_ttl_seconds`.
  Each tenant has its own store (a hash another tenant persisted is unknown to it, so
  no tenant learns what another ran), of at most `apq_max_per_tenant` documents of at
  most `apq_max_bytes` each; every key has a TTL, so Redis may evict them
  (maxmemory-policy volatile-lru, README).
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

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from crm_graph.api.transport.limits import shape_errors
from crm_graph.kernel import offload
from crm_graph.kernel.lru import LRU
from crm_graph.kernel.settings import Settings
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)

# Longer documents are parsed and validated every time rather than kept in memory.
CACHEABLE_LENGTH = 32_768
# Checked documents kept: at most this many, within their share of the memory budget.
# A parsed document stays in the heap as about one object per character of its text
# (measured: about BYTES_PER_CHARACTER bytes per character with its validation), and
# every full collection of the garbage collector walks them all while no request moves.
CACHED_DOCUMENTS = 2048
BYTES_PER_CHARACTER = 110
# One cache for every app of the process: the key holds the limits that decide the errors.
# Checked on the event loop: a few milliseconds at most.
SMALL_DOCUMENT = 500
_CHECKED = LRU("documents", CACHED_DOCUMENTS, share=0.3)


# KEYS: the document's key, the tenant's index (hash -> expiry); ARGV: text, ttl, hash,
# maximum count. Expired entries leave the index first; a new hash beyond the maximum
# is refused (0).
_PERSIST = """
local now = tonumber(redis.call('TIME')[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if not redis.call('ZSCORE', KEYS[2], ARGV[3]) and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[3])
redis.call('EXPIRE', KEYS[2], ttl)
return 1
"""


class DocumentError(Exception):
    """The request names no runnable document; `code` goes to extensions.code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _key(tenant: Any, digest: str) -> str:
    return f"crm:apq:{tenant}:{digest}"


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
    pairs = (
        [(op["id"], op["body"]) for op in raw["operations"]]
        if isinstance(raw, dict) and "operations" in raw
        else list(raw.items())
    )
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
        self.trusted: dict[str, str] = load_manifest(settings.trusted_documents) if settings.trusted_documents else {}
        if settings.trusted_documents_only and not self.trusted:
            raise ValueError("CRM_TRUSTED_DOCUMENTS_ONLY is on but CRM_TRUSTED_DOCUMENTS names no documents")
        self._rules = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
        self._limits = (settings.max_tokens, settings.max_depth, settings.max_aliases, settings.max_directives)

    async def text(
        self, query: str | None, document_id: Any, extensions: dict[str, Any] | None, tenant: Any = None
    ) -> Text:
        """The document to run, from the text, a trusted document id or a persisted query
        hash (looked up in `tenant`'s store)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is not None and not isinstance(persisted, dict):
            raise DocumentError("`extensions.persistedQuery` must be an object.", "BAD_REQUEST")
        wanted = _bare_hash(document_id) if document_id is not None else None
        if document_id is not None and wanted is None:
            raise DocumentError("`documentId` must be a sha256 hash.", "BAD_REQUEST")
        if persisted is not None and wanted is None:
            if persisted.get("version", 1) != 1:
                raise DocumentError(
                    "Only version 1 of persisted queries is supported.", "PERSISTED_QUERY_NOT_SUPPORTED"
                )
            wanted = _bare_hash(persisted.get("sha256Hash"))
            if wanted is None:
                raise DocumentError("`persistedQuery.sha256Hash` must be a sha256 hash.", "BAD_REQUEST")
        if query is not None:
            # Hashed only when a hash is given or only trusted documents may run.
            digest = sha256(query) if wanted is not None or self.settings.trusted_documents_only else None
            if wanted is not None and wanted != digest:
                raise DocumentError("The query does not match its sha256 hash.", "PERSISTED_QUERY_HASH_MISMATCH")
            if self.settings.trusted_documents_only and digest not in self.trusted:
                raise DocumentError(
                    "Only trusted documents may run here; this one is not registered.", "TRUSTED_DOCUMENTS_ONLY"
                )
            persist = persisted is not None and not self.settings.trusted_documents_only
            if persist and len(query.encode()) > self.settings.apq_max_bytes:
                raise DocumentError(
                    f"The document is over {self.settings.apq_max_bytes} bytes, too long to persist: "
                    "send it without `extensions.persistedQuery`.",
                    "PERSISTED_QUERY_TOO_LARGE",
                )
            return Text(query, persist=persist)
        if wanted is None:
            raise DocumentError("Pass `query`, or a persisted query hash.", "BAD_REQUEST")
        if wanted in self.trusted:
            return Text(self.trusted[wanted])
        if not self.settings.trusted_documents_only:
            stored = await self.redis.get(_key(tenant, wanted))
            if stored is not None:
                return Text(stored.decode() if isinstance(stored, bytes) else str(stored))
        raise DocumentError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")

    async def persist(self, text: Text, tenant: Any = None) -> None:
        """Keep an automatic persisted query in `tenant`'s store; only documents that
        passed their checks are kept. DocumentError when the tenant's store is full."""
        if not text.persist:
            return
        digest, settings = sha256(text.query), self.settings
        kept = await self.redis.eval(
            _PERSIST,
            2,
            _key(tenant, digest),
            f"crm:apq-index:{tenant}",
            text.query,
            settings.apq_ttl_seconds,
            digest,
            settings.apq_max_per_tenant,
        )
        if not kept:
            raise DocumentError(
                f"This tenant keeps at most {settings.apq_max_per_tenant} persisted queries: "
                "send the document itself, or wait until older ones expire.",
                "PERSISTED_QUERY_LIMIT",
            )

    def cached(self, query: str, introspection: bool) -> Checked | None:
        """The document's check, when remembered."""
        found: Checked | None = _CHECKED.get((query, introspection, self._limits))
        return found

    def check(self, query: str, introspection: bool) -> Checked:
        """The parsed document and its parse or validation errors (checked here)."""
        checked = self.cached(query, introspection)
        if checked is None:
            checked = self._remember(query, introspection, self._check(query, introspection))
        return checked

    async def check_new(self, query: str, introspection: bool) -> Checked:
        """`check` of a document not remembered: one of more than SMALL_DOCUMENT
        characters is checked off the event loop (validating 2,000 tokens takes up to a
        few hundred milliseconds)."""
        if len(query) <= SMALL_DOCUMENT:
            return self.check(query, introspection)
        return self._remember(query, introspection, await offload.run(self._check, query, introspection))

    def _remember(self, query: str, introspection: bool, checked: Checked) -> Checked:
        # Longer documents are checked every time rather than kept.
        if len(query) <= CACHEABLE_LENGTH:
            _CHECKED.put((query, introspection, self._limits), checked, len(query) * BYTES_PER_CHARACTER)
        return checked

    def _check(self, query: str, introspection: bool) -> Checked:
        try:
            document = parse(query, max_tokens=self.settings.max_tokens, no_location=False)
        except GraphQLError as error:
            if "Document contains more than" in error.message:
                error = GraphQLError(
                    error.message,
                    extensions={"code": "LIMIT_EXCEEDED", "limit": "tokens", "maximum": self.settings.max_tokens},
                )
            return Checked(DocumentNode(definitions=()), [error])
        settings = self.settings
        limits = shape_errors(document, settings.max_depth, settings.max_aliases, settings.max_directives)
        if limits:
            return Checked(document, limits)
        rules = self._rules if introspection else (*self._rules, NoSchemaIntrospectionCustomRule)
        # Suggestions ("Did you mean ...?") reveal the schema as introspection would.
        return Checked(document, validate(self.schema, document, rules, hide_suggestions=not introspection))
