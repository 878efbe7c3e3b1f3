"""The import graph of the application: no circles, and the directions of architecture.md §2.

The graph is read from the source with `ast`, so it sees every import, including the ones
inside functions that a running interpreter only meets on some paths.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "content_types", "workflows", "catalog")

#: package -> the other packages of ours it may import (architecture.md §2)
ALLOWED = {
    "content_types": set(),
    "workflows": {"content_types"},
    "catalog": {"content_types"},
}


def module_files(root=ROOT, packages=PACKAGES):
    """Module name -> path, for every .py file of the application's packages."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(module, path, modules):
    """The modules of ours that `module` imports, anywhere in the file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                # a package's own __init__ is the package; a module's level 1 is its package
                drop = node.level - 1 if is_package else node.level
                base = base[: len(base) - drop] if drop else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                # `from pkg import sub` imports the submodule; `from mod import name` the module
                found.add(submodule if submodule in modules else target)
    return {name for name in found if name in modules and name != module}


def import_graph(root=ROOT, packages=PACKAGES):
    modules = module_files(root, packages)
    return {name: imported_names(name, path, modules) for name, path in modules.items()}


def strongly_connected(graph):
    """Tarjan's components with more than one module: each is one or more import circles."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def shortest_cycle(graph, start, within):
    """The shortest import circle from `start` back to itself, inside one component."""
    paths, seen = [[start]], {start}
    while paths:
        following = []
        for path in paths:
            for target in sorted(graph[path[-1]] & within):
                if target == start:
                    return path + [start]
                if target not in seen:
                    seen.add(target)
                    following.append(path + [target])
        paths = following
    raise AssertionError(f"{start} is in no circle")


def circles(graph):
    """One readable circle per module caught in a component, without repeats."""
    found = []
    for component in strongly_connected(graph):
        for start in sorted(component):
            cycle = shortest_cycle(graph, start, component)
            turn = cycle[:-1].index(min(cycle[:-1]))
            cycle = cycle[turn:-1] + cycle[:turn] + [cycle[turn]]
            if cycle not in found:
                found.append(cycle)
    return found


def forbidden_imports(graph, package):
    """Imports from ``package`` into packages of ours it may not depend on."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in ALLOWED[package] | {package}
    )


def test_the_checks_see_every_kind_of_import(tmp_path):
    """Relative, function-level, package and submodule imports all make arrows."""
    files = {
        "content_types/__init__.py": "",
        "content_types/a.py": "def f():\n    from . import b\n",
        "content_types/b.py": "from .sub import c\n",
        "content_types/sub/__init__.py": "from .. import a\n",
        "content_types/sub/c.py": "import workflows\n",
        "workflows/__init__.py": "from content_types.sub.c import name\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path, ("content_types", "workflows"))
    assert graph["content_types.a"] == {"content_types.b"}
    assert graph["content_types.b"] == {"content_types.sub.c"}
    assert graph["content_types.sub"] == {"content_types.a"}
    assert graph["workflows"] == {"content_types.sub.c"}
    assert circles(graph) == [["content_types.sub.c", "workflows", "content_types.sub.c"]]
    assert forbidden_imports(graph, "content_types") == ["content_types.sub.c imports workflows"]


def test_the_graph_sees_the_imports():
    """A parser that found no edges would pass every check below."""
    graph = import_graph()
    assert "content_types.base" in graph["content_types"] | graph["content_types.application"]
    assert "workflows.engine" in graph["workflows"]
    assert sum(len(targets) for targets in graph.values()) > len(graph)


def test_no_import_circles():
    found = circles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package):
    wrong = forbidden_imports(import_graph(), package)
    assert not wrong, "\n".join(wrong)
