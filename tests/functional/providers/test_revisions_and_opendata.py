"""Revisions of published tariffs need the Region; the open-data export is documented."""
import csv
import io
import re
from pathlib import Path

from portal.providers.views.opendata import COLUMN_NAMES
from tests.functional.providers.conftest import client

ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
README = Path(__file__).resolve().parents[3] / "README.md"


def test_a_tariff_change_waits_for_the_region_and_keeps_the_history(catalogue_app):
    girasole = client(catalogue_app, "girasole")
    before = client(catalogue_app).get(ENTRY).text
    free_before = int(re.search(r'id="posti-liberi">\s*(\d+)\s*<', before).group(1))
    girasole.get(ENTRY + "/@@modifica", status=403)  # published: no direct edits
    form = girasole.get(ENTRY + "/@@proponi-modifica").forms["form-portale"]
    form["tariff_full"], form["places_offered"] = "575,00", "14"
    form["reason"] = "Adeguamento ISTAT"
    form.submit("proponi", status=303)
    public = client(catalogue_app).get(ENTRY).text
    assert "€ 540,00" in public
    assert "€ 575,00" in public
    assert re.search(r'id="tariffa-piena">\s*€ 540,00', public)
    again = girasole.get(ENTRY + "/@@proponi-modifica").forms["form-portale"]
    assert again.submit("proponi", status=409)  # one pending revision at a time
    girasole.post(ENTRY + "/@@decidi-modifica", {"decisione": "approva",
                                                 "csrf_token": form["csrf_token"].value},
                  status=403)
    region = client(catalogue_app, "regione")
    page = region.get(ENTRY)
    approve = next(f for f in page.forms.values()
                   if f.fields.get("decisione") and f["decisione"].value == "approva")
    approve.submit(status=303)
    after = client(catalogue_app).get(ENTRY).text
    assert re.search(r'id="tariffa-piena">\s*€ 575,00', after)
    history = re.findall(r"<td>(\d\d/\d\d/\d{4})</td><td>€ ([\d.,]+)</td>", after)
    assert [amount for _, amount in history] == ["575,00", "540,00", "520,00"]
    # 12 -> 14 places offered: two more free, whatever the demo applications took
    assert re.search(rf'id="posti-liberi">\s*{free_before + 2}\s*<', after)


def test_open_data_exports_only_published_entries_with_documented_columns(catalogue_app):
    anonymous = client(catalogue_app)
    response = anonymous.get("/catalogo/@@opendata.csv")
    assert response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert tuple(rows[0].keys()) == COLUMN_NAMES
    titles = {r["denominazione_voce"] for r in rows}
    assert "Nido Il Girasole — 3-36 mesi" in titles
    assert "Casa Serena — modulo estivo" not in titles  # draft
    assert "Assistenza domiciliare — Soleto e dintorni" not in titles  # submitted only
    nido = next(r for r in rows if r["denominazione_voce"] == "Nido Il Girasole — 3-36 mesi")
    assert nido["tariffa_tempo_pieno_eur"] == "540.00"
    assert nido["comune"] == "Bari"
    page = anonymous.get("/catalogo/girasole/nido-girasole/nido-tempo-pieno").text
    free = re.search(r'id="posti-liberi">\s*(\d+)\s*<', page).group(1)
    assert nido["partita_iva_ente"] == "12345670728"
    assert nido["posti_liberi"] == free
    data = anonymous.get("/catalogo/@@opendata.json").json
    assert data["licenza"] == "CC-BY-4.0"
    assert data["totale"] == len(rows)
    assert [c["nome"] for c in data["colonne"]] == list(COLUMN_NAMES)
    assert all(c["descrizione"] for c in data["colonne"])
    readme = README.read_text(encoding="utf-8")
    assert [name for name in COLUMN_NAMES if f"`{name}`" not in readme] == []


def test_the_map_is_a_local_svg_of_published_units(catalogue_app):
    svg = client(catalogue_app).get("/catalogo/@@mappa.svg")
    assert svg.content_type == "image/svg+xml"
    assert "Asilo nido Il Girasole" in svg.text
    assert "http" not in svg.text.replace(
        "http://www.w3.org/2000/svg", "")
    assert "Servizio domiciliare Salento Cura" not in svg.text  # its only entry is unpublished


def test_search_filters_and_bad_parameters(catalogue_app):
    anonymous = client(catalogue_app)
    everything = anonymous.get("/catalogo").text
    assert "6 servizi trovati" in everything
    elderly = anonymous.get("/catalogo", {"eta": "70"}).text
    assert "1 servizio trovato" in elderly
    assert "Casa Serena" in elderly
    last_place = anonymous.get("/catalogo", {"ambito": "TA-01", "posti": "1"}).text
    assert "2 servizi trovati" in last_place
    bad = anonymous.get("/catalogo", {"eta": "molti", "servizio": "piscina"}, status=400)
    assert "Parametri di ricerca non validi." in bad.text
    anonymous.get("/catalogo", {"comune": "999999"}, status=400)
