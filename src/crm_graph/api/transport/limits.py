"""Limits every operation passes before any resolver runs: depth, aliases and
directives (validation rules, cached with the document), and query cost (computed
per request, since page sizes may be variables).

Fragments count wherever they are spread: a fragment with 10 aliases spread twice
counts 20, so nothing hides behind fragment reuse. Walks stop at the first cycle
(the spec's NoFragmentCycles rule reports those) and at the limit itself, so a
hostile document costs no more than the limit to check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crm_graph.api.kit.builder import MAX_PAGE
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
)

LIMIT_CODE = "LIMIT_EXCEEDED"


def _limit_error(message: str, node: Any, limit: str, value: int, maximum: int) -> GraphQLError:
    return GraphQLError(
        message, node, extensions={"code": LIMIT_CODE, "limit": limit, "value": value, "maximum": maximum}
    )


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


# One response name at most this often in a selection set (fragments flattened):
# the spec's field-merging rule compares such fields pairwise, so thousands of
# copies would cost seconds of validation.
MAX_REPEATS = 50


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    directives: int = 0
    repeats: int = 0  # the most times one response name appears in one selection set
    names: Counter[str] = field(default_factory=Counter)  # response names, fragments flattened


def _shape(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode], memo: dict[str, Shape]
) -> Shape:
    """Each fragment is summed once (memo) and counted at every spread, so the walk is
    linear in the document however often fragments are spread."""
    if selection_set is None:
        return Shape()
    depth = aliases = directives = repeats = 0
    names: Counter[str] = Counter()
    for selection in selection_set.selections:
        directives += len(selection.directives or ())
        if isinstance(selection, FieldNode):
            inner = _shape(selection.selection_set, fragments, memo)
            names[(selection.alias or selection.name).value] += 1
            depth = max(depth, 1 + inner.depth)
            aliases += (selection.alias is not None) + inner.aliases
        else:
            if isinstance(selection, InlineFragmentNode):
                inner = _shape(selection.selection_set, fragments, memo)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in memo:
                    memo[name] = Shape()  # a cycle counts as empty (NoFragmentCycles reports it)
                    fragment = fragments.get(name)
                    memo[name] = _shape(fragment.selection_set if fragment else None, fragments, memo)
                inner = memo[name]
            names.update(inner.names)
            depth = max(depth, inner.depth)
            aliases += inner.aliases
        directives += inner.directives
        repeats = max(repeats, inner.repeats)
    repeats = max(repeats, max(names.values(), default=0))
    return Shape(depth, aliases, directives, repeats, names)


def shape_errors(document: DocumentNode, max_depth: int, max_aliases: int, max_directives: int) -> list[GraphQLError]:
    """Depth, aliases, directives and repeated fields of each operation: checked before
    the spec's rules, whose work these bound."""
    fragments = _fragments(document)
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        shape = _shape(definition.selection_set, fragments, {})
        directives = shape.directives + len(definition.directives or ())
        for limit, value, maximum, message in (
            ("depth", shape.depth, max_depth, f"The operation is nested deeper than {max_depth} levels."),
            ("aliases", shape.aliases, max_aliases, f"The operation uses more than {max_aliases} aliases."),
            ("directives", directives, max_directives, f"The operation uses more than {max_directives} directives."),
            (
                "repeated_fields",
                shape.repeats,
                MAX_REPEATS,
                f"The operation asks for the same field more than {MAX_REPEATS} times in one selection.",
            ),
        ):
            if value > maximum:
                errors.append(_limit_error(message, definition, limit, value, maximum))
    return errors


# --- cost -------------------------------------------------------------------------
# Like GitHub's: each object a query may return costs 1, and everything below a
# connection is multiplied by the connection's page size (`first` or `last`, taken
# as the maximum page when absent or a variable without a value). Lists without a
# size argument (a payload's `errors`) count LIST_SIZE items. Scalars are free.
LIST_SIZE = 10


def _page_size(field: FieldNode, variables: Mapping[str, Any], default: int) -> int:
    for argument in field.arguments or ():
        if argument.name.value not in ("first", "last", "ids"):
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            if argument.name.value == "ids":
                return len(given) if isinstance(given, list) else MAX_PAGE
            if isinstance(given, int) and not isinstance(given, bool):
                return max(0, min(given, MAX_PAGE))
            continue
        if isinstance(value, IntValueNode):
            return max(0, min(int(value.value), MAX_PAGE))
        if isinstance(value, ListValueNode):
            return len(value.values)
    return default


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> int:
    """The operation's cost. Each fragment is costed once and multiplied at its spreads."""
    fragments = _fragments(document)
    memo: dict[tuple[str, int], int] = {}
    root = {"query": schema.query_type, "mutation": schema.mutation_type, "subscription": schema.subscription_type}[
        operation.operation.value
    ]

    def cost(selection_set: SelectionSetNode | None, parent: Any, page: int = 1) -> int:
        """The cost of one instance of `parent` with this selection; `page` is the page
        size when `parent` is a connection (its edges repeat that often)."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                field_def = getattr(parent, "fields", {}).get(selection.name.value)
                if field_def is None:
                    continue  # __typename
                returns = get_nullable_type(field_def.type)
                named = get_named_type(returns)
                if not isinstance(named, GraphQLObjectType) and not is_abstract_type(named):
                    continue
                if named.name.endswith("Connection"):
                    total += 1 + cost(selection.selection_set, named, _page_size(selection, variables, MAX_PAGE))
                elif parent.name.endswith("Connection") and selection.name.value == "edges":
                    total += page * cost(selection.selection_set, named)
                elif isinstance(returns, GraphQLList):
                    total += _page_size(selection, variables, LIST_SIZE) * (1 + cost(selection.selection_set, named))
                else:
                    total += 1 + cost(selection.selection_set, named)
            elif isinstance(selection, InlineFragmentNode):
                target = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                total += cost(selection.selection_set, target, page)
            elif isinstance(selection, FragmentSpreadNode):
                key = (selection.name.value, page)
                if key not in memo:
                    memo[key] = 0  # a cycle adds nothing (NoFragmentCycles reports it)
                    fragment = fragments.get(key[0])
                    if fragment is not None:
                        memo[key] = cost(
                            fragment.selection_set, schema.get_type(fragment.type_condition.name.value), page
                        )
                total += memo[key]
        return total

    return cost(operation.selection_set, root)
