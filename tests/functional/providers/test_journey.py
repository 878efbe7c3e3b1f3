"""The whole catalogue journey through the real app: register, activate, offer, accredit, find."""
import re

from tests.functional.providers.conftest import client

REGISTRATION = {
    "title": "Cooperativa Sociale Stella Marina",
    "tax_code": "56789010727",  # a valid synthetic partita IVA (Luhn check digit)
    "pec": "stellamarina@pec.example.it",
    "address": "Via Napoli 12, 70123 Bari",
    "legal_representative": "Lucia Ferri",
    "legal_representative_cf": "RSSMRA88C52A662W",
    "ats_code": "BA-01",
    "login": "stella",
    "operator_title": "Lucia Ferri",
    "email": "lucia.ferri@example.it",
    "operator_fiscal_code": "RSSMRA88C52A662W",
}
PASSWORD = "stella-marina-2026"


def fill(form, values):
    for name, value in values.items():
        form[name] = value
    return form


def register(app, **changes):
    anonymous = client(app)
    form = anonymous.get("/catalogo/@@registrazione-ente").forms["form-portale"]
    fill(form, {**REGISTRATION, **changes})
    form.set("password", PASSWORD, index=0)
    form.set("password-confirm", PASSWORD, index=0)
    return form.submit("registra", expect_errors=True)


def login_as(app, login, password):
    test_client = client(app)
    form = test_client.get("/@@accedi").forms["form-portale"]
    form["login"], form["password"] = login, password
    return test_client, form.submit("accedi", expect_errors=True)


def activate(app, title="Cooperativa Sociale Stella Marina"):
    region = client(app, "regione")
    page = region.get("/catalogo/@@richieste-registrazione")
    assert title in page.text
    form = next(f for f in page.forms.values()
                if f.fields.get("decisione") and f["decisione"].value == "attiva")
    form.submit(status=303)
    return region


def add_unit(operator, provider_url):
    form = operator.get(provider_url + "/@@aggiungi?tipo=ServiceUnit").forms["form-portale"]
    fill(form, {"title": "Nido Stella Marina", "address": "Via Napoli 12",
                "municipality_code": "072006", "latitude": "41.1290", "longitude": "16.8620",
                "regulatory_article": "art. 53", "authorisation_number": "BA/2024/0999",
                "capacity": "24",
                "opening_calendar": "Lunedì–venerdì 7:30–16:00"})
    form.set("date", "2024-05-10", index=0)  # deform's date widget: a mapping named "date"
    form.submit("aggiungi", status=303)
    return provider_url + "/nido-stella-marina"


ENTRY = {"title": "Nido Stella Marina — tempo pieno", "service_type": "asilo-nido",
         "age_min_months": "3", "age_max_months": "36", "tariff_full": "495,50",
         "tariff_part": "330", "places_offered": "8",
         "description": "Nido con cucina interna e giardino sul mare."}


def add_entry(operator, unit_url, **changes):
    form = operator.get(unit_url + "/@@aggiungi?tipo=CatalogueEntry").forms["form-portale"]
    fill(form, {**ENTRY, **changes})
    return form.submit("aggiungi", expect_errors=True)


def test_register_activate_offer_accredit_and_find(catalogue_app):
    assert register(catalogue_app).status_int == 303
    # not active yet: the operator cannot log in
    _, refused = login_as(catalogue_app, "stella", PASSWORD)
    assert refused.status_int == 400
    activate(catalogue_app)
    operator, ok = login_as(catalogue_app, "stella", PASSWORD)
    assert ok.status_int == 303
    provider_url = "/catalogo/cooperativa-sociale-stella-marina"
    provider = operator.get(provider_url)
    assert "Lucia Ferri" in provider.text
    assert "BA-01" in provider.text

    unit_url = add_unit(operator, provider_url)
    assert add_entry(operator, unit_url).status_int == 303
    entry_url = unit_url + "/nido-stella-marina-tempo-pieno"
    page = operator.get(entry_url)
    assert "Bozza" in page.text
    assert "€ 495,50" in page.text
    anonymous = client(catalogue_app)
    anonymous.get(entry_url, status=303)  # a draft is not public: sent to the login page
    assert "Stella Marina" not in anonymous.get("/catalogo?q=stella").text

    submit = next(f for f in page.forms.values()
                  if f.fields.get("transition") and f["transition"].value == "submit")
    submit.submit(status=303)
    region = client(catalogue_app, "regione")
    pending = region.get("/catalogo/@@da-accreditare")
    assert "Nido Stella Marina — tempo pieno" in pending.text
    publish = next(f for f in region.get(entry_url).forms.values()
                   if f.fields.get("transition") and f["transition"].value == "publish")
    publish.submit(status=303)

    found = anonymous.get("/catalogo", {"q": "stella marina"})
    assert "1 servizio trovato" in found.text
    assert "Nido Stella Marina — tempo pieno" in found.text
    by_place = anonymous.get("/catalogo", {"comune": "072006", "servizio": "asilo-nido",
                                           "eta": "1", "posti": "1"})
    assert "Nido Stella Marina — tempo pieno" in by_place.text
    assert "Nido Stella Marina" not in anonymous.get("/catalogo", {"ambito": "TA-01"}).text
    assert "Nido Stella Marina" not in anonymous.get("/catalogo", {"eta": "5"}).text
    public = anonymous.get(entry_url)
    assert "€ 495,50" in public.text
    assert "Via Napoli 12, Bari" in public.text
    assert re.search(r'id="posti-liberi">\s*8\s*<', public.text)
    pdf = anonymous.get(entry_url + "/@@scheda.pdf")
    assert pdf.content_type == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    rows = anonymous.get("/catalogo/@@opendata.json").json["voci"]
    mine = [r for r in rows if r["denominazione_voce"] == "Nido Stella Marina — tempo pieno"]
    assert mine
    assert mine[0]["tariffa_tempo_pieno_eur"] == "495.50"
    assert mine[0]["codice_istat_comune"] == "072006"
    assert mine[0]["codice_ambito"] == "BA-01"


def test_registration_errors_save_nothing(catalogue_app):
    bad = register(catalogue_app, tax_code="12345678901", pec="non-una-pec",
                   legal_representative_cf="RSSMRA88C52A662X", ats_code="ZZ-99",
                   login="Girasole!")
    assert bad.status_int == 400
    for message in ("Codice fiscale o partita IVA non valido.", "Indirizzo PEC non valido.",
                    "Codice fiscale non valido.", "Ambito «ZZ-99» sconosciuto.",
                    "Nome utente non valido"):
        assert message in bad.text
    taken = register(catalogue_app, login="girasole")
    assert taken.status_int == 400
    assert "Nome utente già in uso" in taken.text
    duplicate = register(catalogue_app, tax_code="12345670728", login="nuovo")
    assert duplicate.status_int == 400
    assert "già registrato" in duplicate.text
    region = client(catalogue_app, "regione")
    assert "Nessuna richiesta in attesa." in region.get("/catalogo/@@richieste-registrazione")


def test_a_rejected_registration_frees_the_login(catalogue_app):
    assert register(catalogue_app).status_int == 303
    region = client(catalogue_app, "regione")
    page = region.get("/catalogo/@@richieste-registrazione")
    reject = next(f for f in page.forms.values()
                  if f.fields.get("decisione") and f["decisione"].value == "respingi")
    reject["motivazione"] = "Autorizzazione al funzionamento non trovata."
    reject.submit(status=303)
    assert "respinta" in region.get("/catalogo/@@richieste-registrazione").text
    assert register(catalogue_app).status_int == 303  # same login and code may ask again
    # only the Region may see or decide requests
    provider = client(catalogue_app, "girasole")
    provider.get("/catalogo/@@richieste-registrazione", status=403)
