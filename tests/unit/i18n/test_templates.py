"""Every template owned by the portal domain compiles and declares i18n:domain="portal"."""
import pathlib
import re

import pytest
from chameleon import PageTemplateFile

TEMPLATES = pathlib.Path(__file__).resolve().parents[3] / "portal" / "templates"
# Directories and files translated in the "portal" domain (deform/ belongs to deform).
OWNED = (
    ["layout.pt", "content.pt", "form.pt", "delete.pt", "search/search.pt"]
    + [f"{d}/{p.name}" for d in ("manage", "errors", "legal", "documents", "providers",
                                 "applications", "home", "notifications", "editorial")
       for p in sorted((TEMPLATES / d).glob("*.pt"))]
)
ROOT_TAG = re.compile(r"<(?!!)(?:[a-z]+:)?[a-z]+\b[^>]*>", re.DOTALL)


def test_owned_list_is_not_empty():
    # the 22 generic ones (with errors/unavailable, manage/sessions, manage/jobs), four in
    # providers, 21 in applications (already_sent, call, call_versions), four in home, two in
    # notifications and four in editorial
    assert len(OWNED) == 57


@pytest.mark.parametrize("name", OWNED)
def test_template_compiles(name):
    template = PageTemplateFile(str(TEMPLATES / name))
    template.cook_check()
    assert template.macros is not None


@pytest.mark.parametrize("name", OWNED)
def test_root_element_declares_portal_domain(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    root = ROOT_TAG.search(text).group(0)
    assert 'i18n:domain="portal"' in root
    assert 'xmlns:i18n="http://xml.zope.org/namespaces/i18n"' in root


@pytest.mark.parametrize("name", OWNED)
def test_translated_elements_have_no_raw_expressions(name):
    """A ${...} in a translated element's own text would make the expression part of the msgid."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for match in re.finditer(r'<(\w+)[^>]*\bi18n:translate=""[^>]*>([^<]*)', text):
        assert "${" not in match.group(2), (name, match.group(0))
