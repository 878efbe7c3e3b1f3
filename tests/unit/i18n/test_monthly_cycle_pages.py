"""The provider's monthly grid in English: template text, aria-labels and the texts its script shows."""
import re

from tests.functional.applications.conftest import (  # noqa: F401 (fixtures)
    applications_app,
    applications_database,
    applications_dir,
    client,
    codes,
    smtp_server,
)
from tests.functional.payments.grid_fixtures import GRID, active_app  # noqa: F401 (fixtures)
from tests.functional.payments.published_fixtures import (  # noqa: F401 (fixtures)
    published_app,
    published_database,
)


def grid_page(app, locale=None):
    provider = client(app, "girasole")
    if locale:
        provider.set_cookie("_LOCALE_", locale)
    return provider.get(GRID)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_grid_in_english(active_app, compiled_catalogs):  # noqa: F811
    page = grid_page(active_app, "en")
    text = text_of(page.text)
    for words in ("Monthly attestations", "Invoice (number, date, amount)", "Opening days",
                  "Voucher share", "Save the month's drafts"):
        assert words in text, words
    for words in ("Attestazioni mensili", "Giorni di apertura", "Quota buono", "Salva le bozze"):
        assert words not in text, words
    form = page.html.find(id="griglia-attestazioni")
    assert form["data-text-checking"] == "Checking the rows…"
    assert form["data-text-checked"] == "Checked {done} of {total} rows…"
    assert form["data-text-saved"] == "{done} of {total} rows saved"
    assert form["data-text-error"] == "Error"
    labels = {tag["aria-label"] for tag in form.find_all("input", attrs={"aria-label": True})}
    assert {"Invoice number", "Invoice date", "Invoice amount"} <= labels
    assert not labels & {"Numero della fattura", "Data della fattura", "Importo della fattura"}


def test_grid_script_texts_in_italian_by_default(active_app, compiled_catalogs):  # noqa: F811
    form = grid_page(active_app).html.find(id="griglia-attestazioni")
    assert form["data-text-saved"] == "{done} di {total} righe salvate"
    assert form["data-text-checking"] == "Verifica delle righe in corso…"
