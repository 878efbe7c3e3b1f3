"""Our deform template overrides: no inline code, native inputs, Italian error banner."""

import os
import re
from urllib.parse import unquote

import colander
import deform
import pytest
from deform.template import ZPTRendererFactory

from tests.unit.static.html_audit import Audit, assert_csp_clean

DEFORM_TEMPLATES = os.path.join(os.path.dirname(deform.__file__), "templates")
OVERRIDES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "portal", "templates", "deform")


def scripted_deform_templates():
    """Deform's own templates that carry inline scripts, styles or handlers."""
    found = set()
    for folder, _dirs, files in os.walk(DEFORM_TEMPLATES):
        for name in files:
            if name.endswith(".pt"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    if re.search(r"<script|<style|\bon[a-z]+=", f.read()):
                        found.add(os.path.relpath(os.path.join(folder, name), DEFORM_TEMPLATES))
    return sorted(found)


@pytest.fixture
def renderer(pyramid_config):
    """The search path the portal configures: our overrides first, then deform's."""
    return ZPTRendererFactory(("portal:templates/deform", "deform:templates"))


class Child(colander.Schema):
    name = colander.SchemaNode(colander.String(), title="Nome")


class Application(colander.Schema):
    title = colander.SchemaNode(colander.String(), title="Titolo")
    start = colander.SchemaNode(colander.Date(), title="Data di inizio")
    when = colander.SchemaNode(colander.DateTime(), title="Appuntamento")
    hour = colander.SchemaNode(colander.Time(), title="Ora")
    amount = colander.SchemaNode(
        colander.Decimal(), title="Importo", widget=deform.widget.MoneyInputWidget()
    )
    district = colander.SchemaNode(
        colander.String(),
        title="Ambito",
        widget=deform.widget.Select2Widget(values=[("ba-01", "Bari"), ("le-01", "Lecce")]),
    )
    provider = colander.SchemaNode(
        colander.String(),
        title="Ente",
        widget=deform.widget.SelectizeWidget(values=[("a", "Ente A"), ("b", "Ente B")]),
    )
    city = colander.SchemaNode(
        colander.String(),
        title="Comune",
        widget=deform.widget.AutocompleteInputWidget(values=["Bari", "Bitonto"]),
    )
    notes = colander.SchemaNode(
        colander.String(), title="Note", widget=deform.widget.RichTextWidget(), missing=""
    )
    email = colander.SchemaNode(
        colander.String(), title="E-mail", widget=deform.widget.CheckedInputWidget(
            subject="E-mail", confirm_subject="Conferma e-mail")
    )
    code = colander.SchemaNode(
        colander.String(), title="Codice", widget=deform.widget.TextInputWidget(mask="99-999")
    )
    children = colander.SequenceSchema(Child(name="child", title="Figlio"), title="Figli")


def make_form(renderer, **kw):
    return deform.Form(Application(), buttons=("invia", "annulla"), renderer=renderer, **kw)


def test_every_scripted_deform_template_is_overridden():
    missing = [n for n in scripted_deform_templates() if not os.path.exists(os.path.join(OVERRIDES, n))]
    assert scripted_deform_templates(), "deform's templates not found"
    assert missing == []


@pytest.mark.parametrize("name", sorted(os.listdir(OVERRIDES)))
def test_override_has_no_inline_code(name):
    with open(os.path.join(OVERRIDES, name), encoding="utf-8") as f:
        source = f.read()
    # The `<!--! ... -->` comments are stripped by Chameleon; the rest is markup.
    markup = re.sub(r"<!--!.*?-->", "", source, flags=re.DOTALL)
    assert not re.search(r"<script|<style|\bon[a-z]+=|javascript:|\bstyle=\"", markup)


def test_form_renders_without_inline_code(renderer):
    html = make_form(renderer).render()
    audit = assert_csp_clean(html)
    assert audit.find("input", type="date", name="date")
    assert audit.find("input", type="time", name="time")
    assert audit.find("select", name="district")
    assert audit.find("datalist")
    assert audit.find("textarea", name="notes")
    assert audit.find("button", type="button", **{"class": "btn btn-outline-primary btn-sm deform-seq-add"})
    assert "csrf_token" not in html  # the lead adds a csrf node to the schemas


def test_sequence_prototype_has_no_inline_code(renderer):
    html = make_form(renderer).render()
    audit = Audit(html)
    (proto,) = audit.find("input", **{"class": "deform-proto"})

    assert_csp_clean(unquote(proto["prototype"]))


def test_error_banner_is_italian_and_focusable(renderer):
    form = make_form(renderer)
    with pytest.raises(deform.ValidationFailure) as failure:
        form.validate([("title", "")])
    html = failure.value.render()
    audit = assert_csp_clean(html)
    assert "Si è verificato un problema con i dati inviati" in html
    assert "Gli errori sono evidenziati sotto" in html
    assert "There was a problem" not in html
    (banner,) = audit.find("div", role="alert")
    assert banner["tabindex"] == "-1"
    described_by = f"error-{form['title'].oid}"
    assert audit.find("input", name="title", aria_invalid="true", aria_describedby=described_by)


def test_no_banner_without_errors(renderer):
    assert "Si è verificato un problema" not in make_form(renderer).render()
