"""The optional parts of the templates: shown when given, left out (not blank headings) when not."""
from decimal import Decimal

from content_types.base import Content
from portal.documents import layouts
from tests.unit.portal.documents.test_render import plan_summary_data, read


def _text(pdf):
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def test_a_receipt_without_fields_or_attachments_says_so(header, receipt_data):
    full = _text(layouts.application_receipt(header, receipt_data))
    assert "Dati della domanda" in full
    assert "isee.pdf" in full
    bare = dict(receipt_data, fields=[], attachments=None)
    text = _text(layouts.application_receipt(header, bare))
    assert "Dati della domanda" not in text
    assert "Nessun allegato." in text


def test_an_attestation_prints_its_statement_only_when_given(header):
    data = {"provider": "Coop. Il Sole", "beneficiary": "Maria Rossi", "month": "marzo 2025",
            "amount": Decimal("120.50"), "rows": [{"description": "Assistenza", "hours": 2}]}
    without = _text(layouts.attestation(header, data))
    statement = "Si attesta che le prestazioni sono state erogate regolarmente."
    with_statement = _text(layouts.attestation(header, dict(data, statement=statement)))
    assert "regolarmente" not in without
    assert "regolarmente" in with_statement
    assert "€ 120,50" in without


def test_a_zone_plan_summary_shows_its_figures_and_marks_and_lists_problems_of_a_draft(header):
    approved = _text(layouts.zone_plan_summary(header, plan_summary_data()))
    assert "€ 2.000,20" in approved  # the ordinary period available
    assert "€ 1.200,20" in approved  # and what is left of it
    assert "Altre risorse (fuori dal bilancio ordinario)" in approved
    assert "€ 501,00" in approved
    assert layouts.DRAFT_MARK not in approved
    assert "Problemi da correggere" not in approved
    draft = _text(layouts.zone_plan_summary(header, plan_summary_data(
        draft=True, problems=["FNPS, 2025: assegnati troppi euro."])))
    assert layouts.DRAFT_MARK in draft
    assert "FNPS, 2025: assegnati troppi euro." in draft
    clean = _text(layouts.zone_plan_summary(header, plan_summary_data(draft=True)))
    assert "Nessuno: il piano rispetta tutti i vincoli." in clean


def test_a_zone_plan_summary_without_other_resources_or_notes_leaves_them_out(header):
    data = dict(plan_summary_data(), other_sources=[])
    text = _text(layouts.zone_plan_summary(header, data))
    assert "Altre risorse (fuori" not in text
    assert "Note" not in text
    noted = _text(layouts.zone_plan_summary(header, dict(data, notes="Importi provvisori.")))
    assert "Importi provvisori." in noted


def test_object_fields_show_lists_empty_values_and_every_public_attribute():
    obj = Content(title="Scheda", services=["ADI", "SAD"], note=None, active=False)
    pairs = dict(layouts.object_fields(obj))
    assert pairs["Services"] == "ADI, SAD"
    assert pairs["Note"] == ""
    assert pairs["Active"] == "no"
    assert "Title" not in pairs  # the title is the heading, not a field


def test_an_object_titled_as_the_document_gets_no_second_heading(header):
    same = Content(title=header.title, body="Corpo")
    other = Content(title="Titolo diverso", body="Corpo")
    same_text = _text(layouts.render_object(header, same, ["body"]))
    other_text = _text(layouts.render_object(header, other, ["body"]))
    assert same_text.count(header.title) == other_text.count(header.title)
    assert "Titolo diverso" in other_text
    assert "Titolo diverso" not in same_text


def test_a_public_ranking_leaves_out_personal_columns_and_prints_notes(header, ranking_data):
    public = [{k: v for k, v in r.items() if k not in ("applicant", "isee")}
              for r in ranking_data["rows"][:3]]
    data = dict(ranking_data, rows=public, notes="Graduatoria provvisoria.")
    text = _text(layouts.ranking(header, data))
    assert "Graduatoria provvisoria." in text
    assert "Richiedente" not in text
    assert "ISEE" not in text
    assert "2025/0000003" in text
    full = _text(layouts.ranking(header, dict(ranking_data, rows=ranking_data["rows"][:3])))
    assert "Richiedente 3" in full
    assert "Graduatoria provvisoria." not in full
