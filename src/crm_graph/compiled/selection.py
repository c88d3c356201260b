"""What an operation asks for: fields collected per runtime type by graphql-core's
own rules (fragments, @skip/@include, merging), and arguments coerced and converted
exactly as Strawberry converts them for the ordinary resolvers."""

from __future__ import annotations

from typing import Any

from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_variable_values,
)
from strawberry.types.arguments import convert_arguments

from crm_graph.compiled.errors import Fallback
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    OperationDefinitionNode,
)

Fields = dict[str, list[FieldDetails]]


class Operation:
    """One query operation with its coerced variables."""

    def __init__(
        self,
        strawberry_schema: Any,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> None:
        self.strawberry_schema = strawberry_schema
        self.schema = strawberry_schema._schema
        self.operation = operation
        self.fragments: dict[str, FragmentDetails] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                if definition.variable_definitions:
                    raise Fallback("fragment_variables")
                self.fragments[definition.name.value] = FragmentDetails(definition, None)
        coerced = get_variable_values(self.schema, operation.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            raise Fallback("variables")
        self.variables: VariableValues = coerced

    def root_fields(self) -> Fields:
        root = self.schema.query_type
        collected = collect_fields(self.schema, self.fragments, self.variables, root, self.operation)
        return self._checked(collected)

    def subfields(self, runtime_type: GraphQLObjectType, details: list[FieldDetails]) -> Fields:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, runtime_type, details
        )
        return self._checked(collected)

    @staticmethod
    def _checked(collected: Any) -> Fields:
        if collected.new_defer_usages:
            raise Fallback("defer")
        fields = dict(collected.grouped_field_set)
        for key, details in fields.items():
            if len(key.encode()) > 63:  # PostgreSQL would truncate the column name
                raise Fallback("long_alias")
            if any(d.fragment_variable_values is not None or d.defer_usage is not None for d in details):
                raise Fallback("defer")
        return fields

    def arguments(self, parent_type: GraphQLObjectType, details: list[FieldDetails]) -> dict[str, Any]:
        """The resolver's keyword arguments (Python names, Strawberry input objects)."""
        node = details[0].node
        field_def: GraphQLField = parent_type.fields[node.name.value]
        try:
            raw = get_argument_values(field_def, node, self.variables)
        except GraphQLError as exc:
            raise Fallback("arguments") from exc
        definition = (field_def.extensions or {}).get("strawberry-definition")
        if definition is None:
            raise Fallback("arguments")
        converter = self.strawberry_schema.schema_converter
        return convert_arguments(
            raw, definition.arguments, scalar_registry=converter.scalar_registry, config=self.strawberry_schema.config
        )
