"""Limits every operation passes before any resolver runs: depth, aliases and
directives (validation rules, cached with the document), and query cost (computed
per request, since page sizes may be variables).

Fragments count wherever they are spread: a fragment with 10 aliases spread twice
counts 20, so nothing hides behind fragment reuse. Walks stop at the first cycle
(the spec's NoFragmentCycles rule reports those) and at the limit itself, so a
hostile document costs no more than the limit to check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
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
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from crm_graph.graphql.builder import MAX_PAGE
from crm_graph.settings import get_settings

LIMIT_CODE = "LIMIT_EXCEEDED"


class StrawberryLimits(SchemaExtension):
    """The same depth, alias, directive and token limits (and introspection switch) on
    Strawberry's own execution path, which serves subscriptions."""

    def on_parse(self) -> Iterator[None]:
        settings = get_settings()
        context = self.execution_context
        if context.graphql_document is None and context.query is not None:
            context.parse_options = {**(context.parse_options or {}), "max_tokens": settings.max_tokens}
        yield

    def on_validate(self) -> Iterator[None]:
        settings = get_settings()
        rules = [*self.execution_context.validation_rules,
                 *operation_rules(settings.max_depth, settings.max_aliases, settings.max_directives)]
        if not settings.introspection_enabled:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.execution_context.validation_rules = tuple(rules)
        yield


def _limit_error(message: str, node: Any, limit: str, value: int, maximum: int) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": LIMIT_CODE, "limit": limit, "value": value,
                                                   "maximum": maximum})


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _walk(selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode],
          depth: int = 1, seen: frozenset[str] = frozenset()) -> Iterator[tuple[Any, int]]:
    """Every selection and directive-bearing node reachable from `selection_set`, with
    its field depth, fragments expanded at each spread."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        yield selection, depth
        if isinstance(selection, FieldNode):
            yield from _walk(selection.selection_set, fragments, depth + 1, seen)
        elif isinstance(selection, InlineFragmentNode):
            yield from _walk(selection.selection_set, fragments, depth, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                yield from _walk(fragment.selection_set, fragments, depth, seen | {name})


def operation_rules(max_depth: int, max_aliases: int, max_directives: int) -> list[type[ASTValidationRule]]:
    """One validation rule checking depth, aliases and directives of each operation."""

    class OperationLimits(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = _fragments(self.context.document)
            aliases = directives = 0
            directives += len(node.directives or ())
            for selection, depth in _walk(node.selection_set, fragments):
                if depth > max_depth:
                    self.report_error(_limit_error(
                        f"The operation is nested deeper than {max_depth} levels.", node, "depth", depth, max_depth))
                    return
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    aliases += 1
                    if aliases > max_aliases:
                        self.report_error(_limit_error(
                            f"The operation uses more than {max_aliases} aliases.", node, "aliases", aliases,
                            max_aliases))
                        return
                directives += len(selection.directives or ())
                if directives > max_directives:
                    self.report_error(_limit_error(
                        f"The operation uses more than {max_directives} directives.", node, "directives",
                        directives, max_directives))
                    return

    return [OperationLimits]


# --- cost -------------------------------------------------------------------------
# Like GitHub's: each object a query may return costs 1, and everything below a
# connection is multiplied by the connection's page size (`first` or `last`, taken
# as the maximum page when absent or a variable without a value). Scalars are free.


def _page_size(field: FieldNode, variables: Mapping[str, Any]) -> int:
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
    return MAX_PAGE


def operation_cost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
                   variables: Mapping[str, Any], stop_above: int) -> int:
    """The operation's cost; counting stops a little past `stop_above`."""
    fragments = _fragments(document)
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]
    total = 0

    def visit(selection_set: SelectionSetNode | None, parent: Any, multiplier: int, seen: frozenset[str]) -> None:
        nonlocal total
        if selection_set is None or total > stop_above:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field_def = getattr(parent, "fields", {}).get(selection.name.value)
                if field_def is None:
                    continue  # __typename and friends
                returns = get_nullable_type(field_def.type)
                named = get_named_type(returns)
                if not isinstance(named, GraphQLObjectType) and not is_abstract_type(named):
                    continue
                if named.name.endswith("Connection"):
                    total += multiplier
                    _connection(selection, named, multiplier, multiplier * _page_size(selection, variables), seen)
                elif isinstance(returns, GraphQLList):
                    many = multiplier * _page_size(selection, variables)
                    total += many
                    visit(selection.selection_set, named, many, seen)
                else:
                    total += multiplier
                    visit(selection.selection_set, named, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                target = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                visit(selection.selection_set, target, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    visit(fragment.selection_set, schema.get_type(fragment.type_condition.name.value), multiplier,
                          seen | {name})

    def _connection(field: FieldNode, connection: Any, outer: int, inner: int, seen: frozenset[str]) -> None:
        # edges (and their nodes) repeat once per row of the page; pageInfo does not.
        for selection in field.selection_set.selections if field.selection_set else ():
            if isinstance(selection, FieldNode) and selection.name.value == "edges":
                edge_type = get_named_type(connection.fields["edges"].type)
                visit(selection.selection_set, edge_type, inner, seen)
            else:
                visit(SelectionSetNode(selections=(selection,)), connection, outer, seen)

    visit(operation.selection_set, root, 1, frozenset())
    return total
