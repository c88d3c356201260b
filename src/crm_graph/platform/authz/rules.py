"""Rules that mean what they say: a rule's object must be a declared record type (or
one of its guarded fields, or `*`), and its scope one the type's row-scope strategy
honours. An `own` rule on users, which have no owner, would otherwise be read as
something: before, as the whole tenant. Checked when a rule is granted (roleGrant),
and at start-up for the default roles' rules.
"""

from __future__ import annotations

from crm_graph.readside.scope import check_declarations, honoured
from crm_graph.readside.spec import entities, entity_by_record_type


def guardable_fields() -> set[str]:
    """`<type>.<field>` of every field declared as guarded: the ones field rules govern."""
    return {f"{e.record_type}.{c.name}" for e in entities() for c in e.fields if c.guarded}


def object_problem(obj: str) -> tuple[str, str] | None:
    """(message, code) when `obj` names nothing a rule can govern."""
    if obj == "*":
        return None
    if "." in obj:
        if obj not in guardable_fields():
            return "Field rules apply to: " + ", ".join(sorted(guardable_fields())) + ".", "NOT_GUARDABLE"
        return None
    if entity_by_record_type(obj) is None:
        known = ", ".join(sorted(e.record_type for e in entities()))
        return f"No record type named {obj!r}; one of {known}, `<type>.<field>`, or *.", "UNKNOWN_TYPE"
    return None


def scope_problem(obj: str, scope: str) -> str | None:
    """Why a rule on `obj` cannot have `scope`, or None when it can."""
    if scope == "tenant":
        return None
    if obj == "*":
        return f"A rule on * covers record types that have no owner; scope {scope} cannot apply to them: use tenant."
    found = entity_by_record_type(obj.split(".", 1)[0])
    if found is None:
        return None  # object_problem tells
    scopes = honoured(found)
    if scope in scopes:
        return None
    return (
        f"{found.record_type} records cannot be told apart by {scope}: a rule on them may only have scope "
        + " or ".join(scopes)
        + "."
    )


def check_rules(rules: list[tuple[str, str, str, str, str]]) -> None:
    """Start-up: ValueError naming every rule that object_problem or scope_problem refuses."""
    check_declarations()
    bad = []
    for rule in rules:
        _, obj, _, scope, _ = rule
        problem = object_problem(obj)
        reason = problem[0] if problem else scope_problem(obj, scope)
        if reason:
            bad.append(f"{rule}: {reason}")
    if bad:
        raise ValueError("default role rules the row scopes cannot honour:\n" + "\n".join(bad))
