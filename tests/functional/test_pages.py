"""Generic views through the real app: forms, listings, deletion, escaping, audit."""
import json

import webtest

from tests.conftest import csrf_token, login


def api_post(testapp, path, body):
    return testapp.post(path, json.dumps(body), expect_errors=True, headers={
        "Content-Type": "application/json", "X-CSRF-Token": csrf_token(testapp)})


def test_not_found_page_is_in_the_portal_layout(testapp):
    response = testapp.get("/non/esiste", status=404)
    assert "Pagina non trovata" in response.text
    assert "Portale dei servizi sociali" in response.text
    assert "Vai al contenuto" in response.text


def test_add_edit_delete_through_the_forms(testapp):
    login(testapp, "rup-ba01")
    form = testapp.get("/ambiti/ba-01/@@aggiungi?tipo=Municipality").forms["form-portale"]
    form["title"] = "Bitritto"
    form["istat_code"] = "072010"
    form["cadastral_code"] = "a893"
    form["province"] = "ba"
    page = form.submit("aggiungi", status=303).follow()
    assert "«Bitritto» creato." in page.text
    assert "A893" in page.text  # normalised by the schema
    form = testapp.get("/ambiti/ba-01/bitritto/@@modifica").forms["form-portale"]
    assert form["istat_code"].value == "072010"
    form["inhabitants"] = "11000"
    form.submit("salva", status=303)
    assert testapp.get("/api/ambiti/ba-01/bitritto").json["data"]["inhabitants"] == 11000
    confirm = testapp.get("/ambiti/ba-01/bitritto/@@elimina")
    assert "Eliminare «Bitritto»?" in confirm.text
    assert "non si può annullare" in confirm.text
    confirm.forms["form-elimina"].submit(status=303)
    testapp.get("/ambiti/ba-01/bitritto", status=404)


def test_invalid_form_keeps_input_and_shows_field_errors(testapp):
    login(testapp, "rup-ba01")
    count = len(testapp.get("/api/ambiti/ba-01/@@contenuti").json["items"])
    form = testapp.get("/ambiti/ba-01/@@aggiungi?tipo=Municipality").forms["form-portale"]
    form["title"] = "Comune «di prova»"
    form["istat_code"] = "12"
    form["cadastral_code"] = "A662"
    form["province"] = "Bari"
    form["inhabitants"] = "-5"
    response = form.submit("aggiungi", status=400)
    assert "Il codice ISTAT del comune è di 6 cifre." in response.text
    assert "La sigla della provincia è di 2 lettere." in response.text
    assert "Non può essere negativo." in response.text
    again = response.forms["form-portale"]
    assert again["title"].value == "Comune «di prova»"
    assert again["cadastral_code"].value == "A662"
    assert len(testapp.get("/api/ambiti/ba-01/@@contenuti").json["items"]) == count


def test_markup_long_and_unicode_titles_are_stored_and_escaped(testapp):
    login(testapp, "admin")
    nasty = '<script>alert("x")</script> Città — Ñandú 漢字'
    form = testapp.get("/documenti/@@aggiungi?tipo=Page").forms["form-portale"]
    form["title"] = nasty
    form["body"] = "<img src=x onerror=alert(1)>"
    page = form.submit("aggiungi", status=303).follow()
    assert "<script>alert" not in page.text
    assert '&lt;script&gt;alert("x")&lt;/script&gt; Città — Ñandú 漢字' in page.text
    assert "<img src=x" not in page.text
    listing = testapp.get("/documenti")
    assert "<script>alert" not in listing.text
    assert "漢字" in listing.text
    form = testapp.get("/documenti/@@aggiungi?tipo=Page").forms["form-portale"]
    form["title"] = "x" * 201
    assert "Al massimo 200 caratteri." in form.submit("aggiungi", status=400).text


def test_stale_edit_form_is_refused_and_nothing_is_overwritten(testapp):
    login(testapp, "admin")
    first = testapp.get("/ambiti/ba-01/@@modifica").forms["form-portale"]
    second = testapp.get("/ambiti/ba-01/@@modifica").forms["form-portale"]
    first["description"] = "Versione di Anna"
    first.submit("salva", status=303)
    second["description"] = "Versione di Bruno"
    response = second.submit("salva", status=409)
    assert "modificato da un'altra persona" in response.text
    assert testapp.get("/api/ambiti/ba-01").json["data"]["description"] == "Versione di Anna"


def test_listing_pages_and_sorts(testapp):
    login(testapp, "admin")
    for i in range(23):
        response = api_post(testapp, "/api/documenti/@@contenuti",
                            {"type": "Page", "title": f"Pagina {i:02d}"})
        assert response.status_int == 201
    first = testapp.get("/documenti?per_pagina=10")
    assert "1–10 di 24" in first.text
    last = testapp.get("/documenti?per_pagina=10&inizio=20&ordina=title")
    assert "Pagina 22" in last.text
    assert "21–24 di 24" in last.text
    reverse = testapp.get("/documenti?per_pagina=10&ordina=title&inverso=1")
    assert reverse.text.index("Pagina 22") < reverse.text.index("Pagina 21")
    testapp.get("/documenti?inizio=abc", status=400)


def test_state_changes_and_personal_data_reads_are_audited(testapp):
    login(testapp, "admin")
    form = testapp.get("/ambiti/ba-01/@@modifica").forms["form-portale"]
    form["description"] = "Nuova descrizione"
    form.submit("salva", status=303)
    testapp.get("/utenti/cittadino")  # an officer reads a citizen's record
    testapp.get("/api/utenti/cittadino")  # and through the API
    history = testapp.get("/ambiti/ba-01/@@gestione-storico").text
    assert "POST modifica" in history
    assert "admin" in history
    user_history = testapp.get("/utenti/cittadino/@@gestione-storico").text
    assert user_history.count("lettura") == 2


def test_refused_attempts_are_audited_even_though_nothing_changed(testapp, wsgi_app):
    login(testapp, "girasole")
    token = csrf_token(testapp)
    testapp.patch("/api/catalogo/arcobaleno", json.dumps({"address": "Via X"}), status=403,
                  headers={"Content-Type": "application/json", "X-CSRF-Token": token})
    admin = login(webtest.TestApp(wsgi_app), "admin")
    history = admin.get("/catalogo/arcobaleno/@@gestione-storico").text
    assert "NEGATO PATCH" in history
    assert "girasole" in history


def test_local_roles_are_managed_from_the_manage_area(testapp):
    login(testapp, "admin")
    page = testapp.get("/ambiti/ta-01/@@gestione-ruoli")
    form = page.forms["form-ruoli"]
    form["principal"] = "user:rup-ba01"
    for field in form.fields["roles"]:
        field.checked = field._value == "ats_officer"
    form.submit(status=303)
    assert "user:rup-ba01" in testapp.get("/ambiti/ta-01/@@gestione-ruoli").text
    testapp.post("/ambiti/ta-01/@@gestione-ruoli",
                 {"principal": "user:nessuno", "roles": "ats_officer",
                  "csrf_token": csrf_token(testapp)}, status=400)
    officer = login(testapp.__class__(testapp.app), "rup-ba01")
    officer.get("/ambiti/ta-01/@@modifica", status=200)


def test_manage_area_shows_properties_without_secrets(testapp):
    login(testapp, "admin")
    page = testapp.get("/utenti/cittadino/@@gestione").text
    assert ">Codice fiscale</th>" in page  # the schema's Italian title, not «fiscal_code»
    assert "CNTMRC85P09E506E" in page
    assert "argon2" not in page
    tree = testapp.get("/@@gestione").text
    assert "ambiti" in tree
    assert "catalogo" in tree


def test_search_page_in_the_layout_with_italian_facets(testapp):
    page = testapp.get("/cerca?q=bari")
    assert "Ambito territoriale sociale" in page.text
    assert ">\n              Comune</a>" in page.text
    assert "<mark>Bari</mark>" in page.text
    filtered = testapp.get("/cerca?q=bari&type_name=Municipality")
    assert "1 risultat" in filtered.text
    bad = testapp.get("/cerca?q=bari&year=duemila", status=400)
    assert "Anno non valido." in bad.text
    api = testapp.get("/api/search?q=bari&sort=boh", status=400).json
    assert api["error"]["code"] == "invalid_query"
    assert "sort" in api["error"]["fields"]
