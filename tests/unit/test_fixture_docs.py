"""Every shared fixture (in a conftest.py) says when to use it, so a newcomer picks the right one."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def is_fixture(decorator):
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in {"pytest.fixture", "fixture"}


def shared_fixtures():
    for path in sorted(TESTS.rglob("conftest.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(map(is_fixture, node.decorator_list)):
                yield f"{path.relative_to(TESTS)}::{node.name}", ast.get_docstring(node) or ""


def test_the_conftest_files_hold_fixtures():
    assert len(dict(shared_fixtures())) >= 30


def test_every_shared_fixture_says_when_to_use_it():
    undocumented = [name for name, doc in shared_fixtures() if not doc.startswith("Use ")]
    assert not undocumented, "docstring not starting with «Use …»: " + ", ".join(undocumented)
