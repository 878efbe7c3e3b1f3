"""Providers touch only their own objects (refusals audited); bad input saves nothing."""
from tests.functional.providers.conftest import api, client

ARCOBALENO_ENTRY = "/catalogo/arcobaleno/nido-arcobaleno/nido-arcobaleno"
GIRASOLE_UNIT = "/catalogo/girasole/nido-girasole"
DRAFT = "/catalogo/casa-serena/diurno-anziani-modugno/diurno-anziani-estate"


def test_another_providers_entry_is_refused_by_url_and_api_and_audited(catalogue_app):
    girasole = client(catalogue_app, "girasole")
    girasole.get(ARCOBALENO_ENTRY + "/@@modifica", status=403)
    refused = api(girasole, "PATCH", "/api" + ARCOBALENO_ENTRY, {"tariff_full": "1.00"},
                  status=403)
    assert refused.json["error"]["code"] == "forbidden"
    api(girasole, "POST", "/api/catalogo/arcobaleno/nido-arcobaleno/@@contenuti",
        {"type": "CatalogueEntry", "title": "Intrusa"}, status=403)
    girasole.get(DRAFT, status=403)  # another provider's draft is not even visible
    arcobaleno_entry = client(catalogue_app).get("/api" + ARCOBALENO_ENTRY).json
    assert arcobaleno_entry["data"]["tariff_full"] == "480.00"
    log = client(catalogue_app, "admin").get("/@@gestione-storico").text
    assert log.count("NEGATO") >= 3
    assert ARCOBALENO_ENTRY in log


def test_entry_form_errors_save_nothing(catalogue_app):
    girasole = client(catalogue_app, "girasole")
    form = girasole.get(GIRASOLE_UNIT + "/@@aggiungi?tipo=CatalogueEntry").forms["form-portale"]
    values = {"title": "Voce sbagliata", "service_type": "asilo-nido", "age_min_months": "36",
              "age_max_months": "3", "tariff_full": "0", "tariff_part": "12000",
              "places_offered": "-2"}
    for name, value in values.items():
        form[name] = value
    page = form.submit("aggiungi", status=400)
    for message in ("La tariffa deve essere maggiore di zero.", "supera 10.000",
                    "I posti non possono essere negativi."):
        assert message in page.text
    # the cross-field check runs once the single fields are right
    form = page.forms["form-portale"]
    form["tariff_full"], form["tariff_part"], form["places_offered"] = "500", "", "4"
    page = form.submit("aggiungi", status=400)
    assert "L'età massima non può essere inferiore alla minima." in page.text
    names = [i["name"] for i in api(girasole, "GET",
                                     "/api" + GIRASOLE_UNIT + "/@@contenuti").json["items"]]
    assert names == ["nido-tempo-pieno"]


def test_api_errors_are_per_field_and_save_nothing(catalogue_app):
    girasole = client(catalogue_app, "girasole")
    bad_unit = api(girasole, "POST", "/api/catalogo/girasole/@@contenuti", {
        "type": "ServiceUnit", "title": "Struttura fantasma", "address": "Via Nessuna 1",
        "municipality_code": "099999", "latitude": 48.9, "longitude": 2.35,
        "regulatory_article": "art. 53", "authorisation_number": "X",
        "authorisation_date": "2020-01-01", "capacity": 10}, status=400)
    fields = bad_unit.json["error"]["fields"]
    assert "Nessun comune" in fields["municipality_code"]
    assert "fuori dall'Italia" in fields["latitude"]
    assert "fuori dall'Italia" in fields["longitude"]
    bad_entry = api(girasole, "POST", "/api" + GIRASOLE_UNIT + "/@@contenuti", {
        "type": "CatalogueEntry", "title": "Troppo cara", "service_type": "asilo-nido",
        "age_min_months": 3, "age_max_months": 36, "tariff_full": "10000.01",
        "places_offered": 3}, status=400)
    assert "supera 10.000" in bad_entry.json["error"]["fields"]["tariff_full"]
    listing = api(girasole, "GET", "/api/catalogo/girasole/@@contenuti").json
    assert sorted(i["name"] for i in listing["items"]) == ["centro-diurno-girasole",
                                                           "nido-girasole"]
