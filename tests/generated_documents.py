"""The schema as graphql-core sees it, and rewrites of generated documents, shared by
the fuzz tests and the compiled path's generated differential tests."""

from __future__ import annotations

from typing import Any

import graphql
from crm_graph.api.schema import schema as strawberry_schema

SDL = strawberry_schema.as_str()
SCHEMA = graphql.build_schema(SDL)


def lift_arguments(document: str) -> tuple[str, dict[str, Any]]:
    """The same operation with every argument value passed as a variable (literals and
    variables are coerced by different code)."""
    ast = graphql.parse(document)
    type_info = graphql.TypeInfo(SCHEMA)
    variables: dict[str, Any] = {}
    definitions: list[graphql.VariableDefinitionNode] = []

    class Lift(graphql.Visitor):
        def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> graphql.ArgumentNode | None:
            argument = type_info.get_argument()
            if argument is None:
                return None
            name = f"v{len(variables)}"
            variables[name] = graphql.value_from_ast_untyped(node.value)
            variable = graphql.VariableNode(name=graphql.NameNode(value=name))
            definitions.append(
                graphql.VariableDefinitionNode(variable=variable, type=graphql.parse_type(str(argument.type)))
            )
            return graphql.ArgumentNode(name=node.name, value=variable)

    lifted = graphql.visit(ast, graphql.TypeInfoVisitor(type_info, Lift()))
    (operation,) = lifted.definitions
    operation = graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=operation.selection_set,
    )
    return graphql.print_ast(graphql.DocumentNode(definitions=(operation,))), variables
