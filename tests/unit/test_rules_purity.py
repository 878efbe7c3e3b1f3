"""Every feature's ``rules/`` is pure: no Pyramid, no transaction, no web code, no request.

Beside ``test_architecture``: that file draws the arrows between our packages; this one
reads every import of the rules (third-party ones too) with ``ast``.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "portal" / "applications" / "rules"
PAYMENT_RULES = ROOT / "portal" / "payments" / "rules"
PLAN_RULES = ROOT / "portal" / "plans" / "rules"
SOCIAL_RULES = tuple(ROOT / "portal" / name / "rules" for name in ("people", "cases", "register"))
#: what a rules module may not import (directly), with the layer it belongs to
FORBIDDEN = ("pyramid", "pyramid_tm", "pyramid_retry", "pyramid_zodbconn", "transaction",
             "webob", "portal.web", "portal.applications.views",
             "portal.applications.services", "portal.applications.sending",
             "portal.payments.views", "portal.payments.ledger", "portal.payments.attestations",
             "portal.plans.views", "portal.plans.store",
             "portal.people.store", "portal.people.views", "portal.people.index",
             "portal.cases.store", "portal.cases.views",
             "portal.register.views", "portal.register.grant")


def imports(tree):
    """Every module name an ``import`` or ``from … import`` names, anywhere in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def impurities(source, filename="<source>"):
    """Forbidden imports, and any mention of a request (a parameter, a name, an attribute)."""
    tree = ast.parse(source, filename)
    wrong = sorted({name for name in imports(tree)
                    if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)})
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg == "request":
            wrong.append(f"{node.lineno}: parameter request")
        elif isinstance(node, ast.Name) and node.id == "request":
            wrong.append(f"{node.lineno}: name request")
        elif isinstance(node, ast.Attribute) and node.attr == "request":
            wrong.append(f"{node.lineno}: attribute .request")
    return wrong


def test_the_check_sees_every_impurity():
    source = ("import transaction\n"
              "from pyramid.threadlocal import get_current_request\n"
              "from portal.web import forms\n"
              "def f(obj, request=None):\n"
              "    from portal.applications import services\n"
              "    return obj.request\n"
              "def g():\n"
              "    return request\n")
    assert impurities(source) == [
        "portal.applications.services", "portal.web", "portal.web.forms",
        "pyramid.threadlocal", "pyramid.threadlocal.get_current_request", "transaction",
        "4: parameter request", "6: attribute .request", "8: name request"]


def test_the_rules_are_pure():
    modules = (sorted(RULES.rglob("*.py")) + sorted(PAYMENT_RULES.rglob("*.py"))
               + sorted(PLAN_RULES.rglob("*.py"))
               + [p for folder in SOCIAL_RULES for p in sorted(folder.rglob("*.py"))])
    assert len(modules) > 10, "a rules package moved: point RULES at it"
    wrong = [f"{path.relative_to(ROOT)}: {item}" for path in modules
             for item in impurities(path.read_text("utf-8"), str(path))]
    assert not wrong, "\n".join(wrong)
