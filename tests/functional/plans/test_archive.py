"""The plan's archive: PDFs through the document service, versions, the Region's documents."""
from content_types.zone_plan import ArchiveDocument
from tests.conftest import csrf_token
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.archive_fixtures import (
    ARCHIVE,
    SMALL_LIMIT,
    encrypted,
    make_pdf,
    signed,
    upload,
)
from tests.functional.plans.plan_fixtures import client_as
from tests.unit.portal.documents.badpdfs import javascript_pdf
from tests.unit.portal.documents.tampered import variants

DELIBERE = ARCHIVE + "/delibere"


def _stored(app, folder):
    """The documents of ``folder`` (name → number of versions), read from the database."""
    def work(portal):
        found = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]["archivio"][folder]
        return {d.__name__: len(d.versions) for d in found.values()
                if isinstance(d, ArchiveDocument)}
    return run_in_app(app, work)


def _found(client, word):
    return [i["path"] for i in client.get("/api/search", {"q": word}).json["items"]]


def test_refused_files_get_the_services_reason_next_to_the_field_and_store_nothing(
        archive_app):
    officer = client_as(archive_app, "rup-ba01")
    pdf = make_pdf("Verbale del tavolo tematico")
    cases = (
        ("verbale.pdf", b"Non sono un PDF, solo testo.\n", "Il file non è un PDF"),
        ("verbale.pdf", encrypted(pdf), "protetto da password o cifrato"),
        ("verbale.pdf", javascript_pdf(pdf), "Il PDF contiene JavaScript"),
        ("verbale.pdf", b"", "Il file caricato è vuoto."),
    )
    for filename, data, reason in cases:
        page = upload(officer, DELIBERE, "Verbale", data, filename, status=422)
        field_error = page.html.find(id="file-error")
        assert field_error is not None, (reason, page.text[:300])
        assert reason in field_error.text
        assert page.html.find(id="file")["aria-describedby"] == "file-error"
    page = officer.post(DELIBERE + "/@@carica", {"csrf_token": csrf_token(officer),
                                                 "title": "Verbale"}, status=422)
    assert "Allegare il documento in PDF." in page.html.find(id="file-error").text
    page = upload(officer, DELIBERE, "  ", pdf, status=422)
    assert "Indicare il titolo del documento." in page.html.find(id="title-error").text
    assert _stored(archive_app, "delibere") == {}
    # the API answers the same refusal as JSON, with the service's code
    response = officer.post(DELIBERE + "/@@carica", {"title": "Verbale"},
                            upload_files=[("file", "x.pdf", encrypted(pdf))],
                            headers={"X-CSRF-Token": csrf_token(officer)}, status=422)
    assert "cifrato" in response.text


def test_a_new_version_keeps_the_old_one_downloadable_and_search_follows_the_new_text(
        archive_app):
    officer = client_as(archive_app, "rup-ba01")
    first, second = make_pdf("Prima stesura", "Cardamomino"), make_pdf("Testo definitivo",
                                                                        "Liquiriziotto")
    document = upload(officer, DELIBERE, "Delibera di giunta", first).headers["Location"]
    assert _found(officer, "cardamomino") == [document.rstrip("/").replace(
        "http://localhost", "")]
    page = officer.get(document)
    form = page.forms["form-versione"]
    form["file"] = ("delibera-v2.pdf", second)
    form["note"] = "Testo approvato"
    page = form.submit().follow()
    assert [r.get("id") for r in page.html.select("#versioni tbody tr")] == [
        "versione-2", "versione-1"]
    assert "Testo approvato" in page.html.find(id="versione-2").text
    assert officer.get(document + "@@scarica?versione=1").body == first
    latest = officer.get(document + "@@scarica?versione=2")
    assert latest.body == second == officer.get(document + "@@scarica").body
    assert latest.content_type == "application/pdf"
    assert latest.headers["Content-Disposition"] == (
        'attachment; filename="delibera-di-giunta-v2.pdf"')
    assert _stored(archive_app, "delibere") == {"delibera-di-giunta": 2}
    # what search finds is the current version's text
    assert _found(officer, "liquiriziotto")
    assert not _found(officer, "cardamomino")
    missing = officer.get(document + "@@scarica?versione=3", status=404)
    assert "Questa versione del documento non esiste." in missing.text
    bad = officer.get(document + "@@scarica?versione=due", status=400)
    assert "numero intero positivo" in bad.text
    # a refused new version changes nothing
    page = officer.get(document)
    form = page.forms["form-versione"]
    form["file"] = ("v3.pdf", encrypted(second))
    refused = form.submit(status=422)
    assert "cifrato" in refused.html.find(id="file-error").text
    assert _stored(archive_app, "delibere") == {"delibera-di-giunta": 2}


def test_the_region_adds_its_own_documents_to_the_ats_archive(archive_app):
    region = client_as(archive_app, "regione")
    officer = client_as(archive_app, "rup-ba01")
    for folder in ("regione", "delibere"):
        url = upload(region, f"{ARCHIVE}/{folder}", "Nota regionale di indirizzo",
                     make_pdf("Indicazioni della Regione", "Pistacchiolo")).headers["Location"]
        page = officer.get(url)
        assert page.html.find(id="origine").text.strip() == "Regione"
        listing = officer.get(f"{ARCHIVE}/{folder}")
        assert "Regione" in listing.html.select("#documenti-archivio tbody tr")[0].text
    own = upload(officer, DELIBERE, "Delibera dell'Ambito", make_pdf("Atto dell'Ambito"))
    assert officer.get(own.headers["Location"]).html.find(id="origine").text.strip() == (
        "Ambito (ATS)")
    assert len(_found(officer, "pistacchiolo")) == 2
    counts = {row.a.text: row.select("td")[1].text
              for row in officer.get(ARCHIVE).html.select("#cartelle-official tbody tr")}
    assert counts["Documenti della Regione"] == "1"
    assert counts["Delibere e atti di approvazione"] == "2"


def test_another_atss_officer_is_refused_everywhere(archive_app):
    officer = client_as(archive_app, "rup-ba01")
    document = upload(officer, DELIBERE, "Delibera riservata",
                      make_pdf("Riservata")).headers["Location"]
    other = client_as(archive_app, "rup-ta01")
    for url in (ARCHIVE, DELIBERE, document, document + "@@scarica",
                document + "@@scarica?versione=1"):
        other.get(url, status=403)
    other.post(DELIBERE + "/@@carica", {"csrf_token": csrf_token(other), "title": "Intrusa"},
               upload_files=[("file", "x.pdf", make_pdf("Intrusa"))], status=403)
    other.post(document + "@@carica-versione", {"csrf_token": csrf_token(other)},
               upload_files=[("file", "x.pdf", make_pdf("Intrusa"))], status=403)
    assert _stored(archive_app, "delibere") == {"delibera-riservata": 1}


def test_a_signed_pdf_is_verified_on_upload_and_its_verdict_shown(archive_app):
    officer = client_as(archive_app, "rup-ba01")
    data = signed(archive_app, make_pdf("Piano sottoscritto digitalmente"))
    page = upload(officer, ARCHIVE + "/piano-firmato", "Piano firmato", data).follow()
    cell = page.html.select_one("#versione-1 .firma-valid")
    assert cell is not None, page.text[:200]
    assert "Firma digitale valida" in cell.text
    assert "DEV" in cell.text  # the signer the service names
    # the same file altered after signing: still accepted, shown as not valid
    tampered = variants(data)["incremental_annotation"]
    page = upload(officer, ARCHIVE + "/piano-firmato", "Piano alterato", tampered).follow()
    assert "Firma digitale non valida" in page.html.select_one("#versione-1 .firma-invalid").text
    listing = officer.get(ARCHIVE + "/piano-firmato")
    assert {c.text for c in listing.html.select("#documenti-archivio td[class^=firma]")} == {
        "Firma digitale valida", "Firma digitale non valida"}
    plain = upload(officer, DELIBERE, "Senza firma", make_pdf("Nessuna firma")).follow()
    assert "Non firmato" in plain.html.select_one("#versione-1 .firma-unsigned").text


def test_working_material_is_deleted_by_the_ats_after_confirmation_official_never(
        archive_app):
    officer = client_as(archive_app, "rup-ba01")
    region = client_as(archive_app, "regione")
    draft = upload(officer, ARCHIVE + "/lavoro", "Bozza", make_pdf("Nocciolotto")).headers[
        "Location"]
    official = upload(officer, DELIBERE, "Delibera", make_pdf("Atto")).headers["Location"]
    assert officer.get(official).html.find(string="Elimina il documento") is None
    assert region.get(draft).html.find(string="Elimina il documento") is None
    refused = officer.get(official + "@@elimina-documento", status=409)
    assert "non si eliminano" in refused.text
    officer.post(official + "@@elimina-documento", {"csrf_token": csrf_token(officer)},
                 status=409)
    region.post(draft + "@@elimina-documento", {"csrf_token": csrf_token(region)}, status=403)
    confirm = officer.get(officer.get(draft).html.find(string="Elimina il documento")
                          .parent["href"])
    assert _stored(archive_app, "lavoro") == {"bozza": 1}  # asking stores nothing
    confirm.forms["form-elimina"].submit(status=303)
    assert _stored(archive_app, "lavoro") == {}
    assert _stored(archive_app, "delibere") == {"delibera": 1}
    assert _found(officer, "nocciolotto") == []


def test_a_file_over_the_services_size_limit_is_refused_with_its_reason(small_upload_app):
    officer = client_as(small_upload_app, "rup-ba01")
    too_big = b"%PDF-1.4\n" + b"0" * SMALL_LIMIT + b"\n%%EOF\n"
    page = upload(officer, DELIBERE, "Verbale voluminoso", too_big, status=422)
    assert "supera la dimensione massima consentita di 1 MB" in page.html.find(
        id="file-error").text
    assert _stored(small_upload_app, "delibere") == {}
    upload(officer, DELIBERE, "Verbale", make_pdf("Verbale breve"))
    assert _stored(small_upload_app, "delibere") == {"verbale": 1}
