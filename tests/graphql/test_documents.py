"""Checked documents are kept in memory, within a bound on their number and on their
text: every parsed document stays in the heap, and each full collection of the garbage
collector walks it."""

from __future__ import annotations

from crm_graph.graphql.documents import CACHED_CHARACTERS, Documents
from crm_graph.graphql.schema import schema
from crm_graph.settings import Settings


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
    length = 20_000
    texts = [padded(i, length) for i in range(3 * CACHED_CHARACTERS // length)]
    checked = [docs.check(text, introspection=False) for text in texts]

    assert docs._checked.weight <= CACHED_CHARACTERS
    assert len(docs._checked) == CACHED_CHARACTERS // length
    # The newest are remembered, the oldest were let go.
    assert docs.check(texts[-1], introspection=False) is checked[-1]
    assert docs.check(texts[0], introspection=False) is not checked[0]
