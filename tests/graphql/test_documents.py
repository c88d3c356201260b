"""Checked documents are kept in memory, within a bound on their number and on their
text: every parsed document stays in the heap, and each full collection of the garbage
collector walks it."""

from __future__ import annotations

from crm_graph.api.schema import schema
from crm_graph.api.transport.documents import _CHECKED, BYTES_PER_CHARACTER, Documents
from crm_graph.kernel import lru
from crm_graph.kernel.settings import Settings


def documents() -> Documents:
    return Documents(schema._schema, Settings(database_url="postgresql+asyncpg://unused/x", redis_url="redis://unused"))


def padded(i: int, length: int) -> str:
    """A distinct document of `length` characters (a comment pads it)."""
    head = f"{{ viewer {{ id }} }} # {i} "
    return head + "x" * (length - len(head))


def test_a_document_is_checked_once_and_then_remembered():
    docs = documents()
    first = docs.check("{ viewer { id } }", introspection=False)

    assert not first.errors
    assert docs.check("{ viewer { id } }", introspection=False) is first
    # Introspection allowed or not is another check of the same text.
    assert docs.check("{ viewer { id } }", introspection=True) is not first


def test_the_text_of_the_remembered_documents_is_bounded():
    docs = documents()
    _CHECKED.clear()
    length = 20_000
    allowance = _CHECKED.max_weight  # the documents' share of CRM_CACHE_MEMORY_MB
    kept = allowance // (length * BYTES_PER_CHARACTER)
    texts = [padded(i, length) for i in range(3 * kept)]
    checked = [docs.check(text, introspection=False) for text in texts]

    assert _CHECKED.weight <= allowance
    assert lru.weights()["documents"] <= allowance
    assert len(_CHECKED) == kept
    # The newest are remembered, the oldest were let go.
    assert docs.check(texts[-1], introspection=False) is checked[-1]
    assert docs.check(texts[0], introspection=False) is not checked[0]
