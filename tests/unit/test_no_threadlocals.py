"""Services are passed or registered, never guessed from Pyramid's thread-local stack."""
import ast

import pytest

from tests.unit.test_architecture import module_files

#: the only modules of ours that may read the thread-local stack, and why (none today:
#: Pyramid's own bootstrap in the scripts pushes it, our code never reads it)
ALLOWED = {}
PURE = ("content_types", "catalog", "workflows")


def threadlocal_imports(path):
    """The lines of ``path`` importing ``pyramid.threadlocal`` (or names from it)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            if any(alias.name.startswith("pyramid.threadlocal") for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and not node.level and (
                node.module == "pyramid.threadlocal" or (
                    node.module == "pyramid" and any(a.name == "threadlocal" for a in node.names))):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("package", PURE)
def test_content_types_catalog_and_workflows_never_import_the_threadlocal(package):
    modules = module_files(packages=(package,))
    found = {name: lines for name, path in modules.items() if (lines := threadlocal_imports(path))}
    assert modules
    assert found == {}


def test_only_the_listed_portal_modules_read_the_threadlocal():
    modules = module_files(packages=("portal",))
    found = {name for name, path in modules.items() if threadlocal_imports(path)}
    assert found <= set(ALLOWED)


def test_the_check_sees_every_import_form(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import pyramid.threadlocal\nfrom pyramid import threadlocal\n"
                      "def f():\n    from pyramid.threadlocal import get_current_registry\n"
                      "from pyramid.traversal import find_root\n", encoding="utf-8")
    assert threadlocal_imports(source) == [1, 2, 4]
