"""The rooms inside ``portal/``: pure rules, generic web code, features that don't lean on each other.

README "The tree: where a line belongs" states the rules; this test holds them, reading the
imports with ``ast`` (the same graph as ``test_architecture``).
"""
import pytest

from tests.unit.test_architecture import ROOT, import_graph, module_files

GRAPH = import_graph()
MODULES = module_files()
FEATURES = ("portal.applications", "portal.providers", "portal.editorial", "portal.payments",
            "portal.plans", "portal.people", "portal.cases", "portal.register")
RULES = ("portal.applications.rules", "portal.payments.rules", "portal.plans.rules",
         "portal.people.rules", "portal.cases.rules", "portal.register.rules")
#: generic code that every feature may use and that may use no feature
GENERIC = ("portal.web", "portal.documents", "portal.security", "portal.mail", "portal.audit",
           "portal.db", "portal.moved", "portal.errors", "portal.i18n", "portal.registered",
           "portal.request_checks", "portal.write_lock")


def inside(module, prefixes):
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def modules_under(prefix):
    return sorted(m for m in MODULES if inside(m, (prefix,)))


@pytest.mark.parametrize("module", [m for p in RULES for m in modules_under(p)])
def test_rules_use_only_rules_and_the_bottom_of_portal(module):
    """Third-party purity (no Pyramid, no transaction, no request) is ``test_rules_purity``."""
    ours = {m for m in GRAPH[module] if m.startswith("portal.")}
    # the payments rules apply the applications' co-payment scheme: rules on rules
    # (the plans' notices build the notifications' pure Note values)
    # (the people's rules read the codice fiscale as the applications' rules do)
    allowed = (*RULES, "portal.notifications.rules", "portal.errors",
               "portal.i18n", "portal.documents", "portal.csvfile")
    assert all(inside(m, allowed) for m in ours), sorted(ours)


@pytest.mark.parametrize("module", [m for p in GENERIC for m in modules_under(p)])
def test_generic_code_uses_no_feature(module):
    assert not [m for m in GRAPH[module] if inside(m, (*FEATURES, "portal.demo"))]


@pytest.mark.parametrize("module", [m for p in FEATURES for m in modules_under(p)])
def test_a_feature_never_reaches_into_another_features_views(module):
    own = next(p for p in FEATURES if inside(module, (p,)))
    foreign_views = [m for m in GRAPH[module]
                     if inside(m, tuple(f"{p}.views" for p in FEATURES if p != own))]
    assert not foreign_views


def test_the_rules_modules_exist():
    """The parametrized checks above would pass vacuously on an empty package."""
    assert len(modules_under("portal.applications.rules")) >= 10
    assert (ROOT / "portal" / "web" / "errors.py").exists()
