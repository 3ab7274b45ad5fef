"""The apps' import graph has no cycle (docs/architecture.md, "Apps").

Every module of every project package is parsed (nothing is imported), and every import counts:
at module level, inside functions and methods, under TYPE_CHECKING. An import inside a function
still ties the two apps together; it only hides the tie from Python's start-up.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Top-level packages of the repository that are not part of the product.
NOT_APPS = {"tests", "bench", "node_modules", "static", "templates", "locale", "docs", "var"}

# (importing app, imported app) edges that close a cycle and cannot be removed yet: each with
# the import that keeps it. Empty is the goal; an entry here must say why and where.
ALLOWED_EDGES: set[tuple[str, str]] = set()


def project_apps() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name not in NOT_APPS)


def imported_modules(path: Path, package: str) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in the file; relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
    return found


def app_import_graph() -> dict[str, dict[str, list[str]]]:
    """app → imported app → ["path:line", …] for every import that crosses between two apps."""
    apps = project_apps()
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            module_parts = list(relative.with_suffix("").parts)
            package = ".".join(module_parts[:-1] if module_parts[-1] != "__init__" else module_parts[:-1])
            for module, line in imported_modules(path, package):
                target = module.split(".")[0]
                if target in graph and target != app:
                    graph[app].setdefault(target, []).append(f"{relative}:{line}")
    return graph


def find_cycle(graph: dict[str, dict[str, list[str]]], ignored: set[tuple[str, str]]) -> list[str] | None:
    """One cycle as [a, b, …, a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(app: str) -> list[str] | None:
        state[app] = 1
        path.append(app)
        for target in sorted(graph[app]):
            if (app, target) in ignored:
                continue
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[app] = 2
        return None

    for app in sorted(graph):
        if app not in state:
            cycle = visit(app)
            if cycle:
                return cycle
    return None


def describe(graph, cycle: list[str]) -> str:
    lines = ["import cycle between apps: " + " → ".join(cycle)]
    for source, target in zip(cycle, cycle[1:], strict=False):
        places = graph[source][target]
        lines.append(f"  {source} → {target}: " + ", ".join(places[:8]) + (" …" if len(places) > 8 else ""))
    return "\n".join(lines)


def test_the_apps_import_graph_has_no_cycle():
    graph = app_import_graph()
    cycle = find_cycle(graph, ALLOWED_EDGES)
    assert cycle is None, describe(graph, cycle)


def test_allowed_edges_are_still_needed():
    """An allowlist entry whose import has gone must go too, so the list only shrinks."""
    graph = app_import_graph()
    stale = [edge for edge in ALLOWED_EDGES if edge[1] not in graph.get(edge[0], {})]
    assert not stale, f"no longer imported, remove from ALLOWED_EDGES: {stale}"


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = "def f():\n    from sla.services import x\n    import complaints.models\n"
    path = tmp_path / "m.py"
    path.write_text(source)
    assert [m for m, _ in imported_modules(path, "casework")] == ["sla.services", "complaints.models"]
    graph = {"a": {"b": ["a.py:1"]}, "b": {"c": ["b.py:2"]}, "c": {"a": ["c.py:3"]}}
    assert find_cycle(graph, set()) == ["a", "b", "c", "a"]
    assert find_cycle(graph, {("c", "a")}) is None
