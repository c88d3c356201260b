"""Dependencies point one way (CONTRIBUTING.md): a module imports only from its own
layer or the layers below it, and no module reaches into another package's private
names. Checked over the import graph grimp builds (import-linter's engine), function-
level imports included, so a lazy import does not hide an upward dependency."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp
import pytest

PACKAGE = "crm_graph"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE

# Composition roots: the only modules that may see everything.
ROOTS = {
    "crm_graph",
    "crm_graph.__main__",
    "crm_graph.app",
    "crm_graph.cli",
    "crm_graph.worker",
    "crm_graph.seed",
    "crm_graph.seed_vocabulary",
    "crm_graph.seed_indexes",
    "crm_graph.provisioning",
    "crm_graph.scaffold",
    "crm_graph.models",
}
# Top to bottom: a layer may import the ones after it, never the ones before.
LAYERS = (
    "crm_graph.api.transport",
    "crm_graph.api.schema",
    "crm_graph.compiled",
    "crm_graph.domains",
    "crm_graph.api.kit",
    "crm_graph.platform",
    "crm_graph.readside",
    "crm_graph.kernel",
)

# A domain's or platform service's GraphQL surface (`api.py`, `api_*.py`) is built
# with the kit, whatever layer its package sits in.
SURFACE = re.compile(r"^crm_graph\.platform\.[a-z_]+\.api(_[a-z_]+)?$")

# Upward imports that remain, each with the reason it has not been inverted yet.
# The test fails when one of them disappears, so the list only ever shrinks.
KNOWN = {
    # The write path enforces the row scope each record type declares (readside.spec's
    # strategies), with the very predicates reads use (readside.scope), so a write can
    # never reach a row a read would not show. The declarations are the one source of
    # both; a copy of them in the kernel, or a hook filled at start-up, would let the
    # two paths drift apart (or leave writes unchecked before it is filled).
    ("crm_graph.kernel.writes", "crm_graph.readside.scope"): "writes check the declared row scope",
    ("crm_graph.kernel.writes", "crm_graph.readside.spec"): "writes look up the record type's Entity",
    # The generated types are one namespace every domain's GraphQL surface imports at
    # its own import time (types.Organization in a signature), built from every domain's
    # declarations and EXTRA_FIELDS: it cannot wait for a composition root to fill it.
    ("crm_graph.api.kit.types", "crm_graph.domains.enabled"): "generated types are composed over DOMAINS",
}


def layer(module: str) -> int | None:
    if module in ROOTS:
        return 0
    for i, name in enumerate(LAYERS, start=1):
        if module == name or module.startswith(name + "."):
            return i
    return None


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def upward_imports(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    found = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            low, high = layer(importer), layer(imported)
            if low is None or high is None or high >= low:
                continue
            if SURFACE.match(importer) and imported.startswith("crm_graph.api.kit"):
                continue
            found.add((importer, imported))
    return found


def test_every_module_has_a_layer(graph: grimp.ImportGraph) -> None:
    assert sorted(m for m in graph.modules if layer(m) is None and m != "crm_graph.api") == []


def test_no_new_upward_imports(graph: grimp.ImportGraph) -> None:
    upward = upward_imports(graph)
    assert sorted(upward - KNOWN.keys()) == [], "imports against the layering (see CONTRIBUTING.md)"


def test_known_exceptions_still_exist(graph: grimp.ImportGraph) -> None:
    """An exception that no longer occurs is removed from KNOWN, so none can return unnoticed."""
    assert sorted(KNOWN.keys() - upward_imports(graph)) == []


def package_of(module: str) -> str:
    return module.rpartition(".")[0]


def owner(module: str) -> str:
    """The package a module's private names belong to (a package owns its own)."""
    is_package = (SRC.parent / module.replace(".", "/")).is_dir()
    return module if is_package else package_of(module)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_reaches() -> list[str]:
    """`from other.package import _name`, or `other_module._name` on an imported module."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        here = module_name(path)
        mine = here if path.name == "__init__.py" else package_of(here)
        aliases: dict[str, str] = {}
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if (SRC.parent / target.replace(".", "/")).with_suffix(".py").exists():
                        aliases[alias.asname or alias.name] = target
                    elif alias.name.startswith("_") and owner(node.module) != mine:
                        found.append(f"{here}: from {node.module} import {alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                target = aliases[node.value.id]
                if owner(target) != mine:
                    found.append(f"{here}: {target}.{node.attr}")
    return found


def test_no_module_reaches_into_another_packages_private_names() -> None:
    assert private_reaches() == []
