"""Issue 7 UI: the ATS's ISEE CSV upload, manual ISEE entry with PDF and check, budget change
by the Region followed by a scorrimento that funds the next in line."""
import re
from datetime import UTC, datetime

from reportlab.pdfgen import canvas

from portal.db import AUDIT_KEY
from portal.demo.applications import ROME, dsu_date, fiscal_code, months_before
from tests.conftest import csrf_token
from tests.functional.applications.conftest import (
    CALL,
    client,
    complete_draft,
    post,
    run_in_app,
    submit,
    version_of,
)
from tests.functional.applications.test_review_and_ranking import QUEUE, RANKING, read, uids

DOMANDE = "/ambiti/ba-01/domande"
REGISTRY = DOMANDE + "/@@isee-registro"
MANUAL = DOMANDE + "/@@isee-manuale"
BUDGET = "/regione/avvisi/buoni-minori-2026/@@budget"
HEADER = "codice_fiscale;protocollo_dsu;tipo_isee;valore_isee;data_dsu\n"


def today():
    return datetime.now(UTC).astimezone(ROME).date()


def child(name, months=14):
    return fiscal_code("VRD", name, months_before(today(), months))


def count(page):
    return int(re.search(r"Attestazioni caricate: <strong>(\d+)</strong>", page.text).group(1))


def attestations(app, code):
    return run_in_app(app, lambda portal: portal["ambiti"]["ba-01"]["domande"]
                      .isee_registry.attestations(code))


def upload(officer, data, status, name="isee.csv"):
    return post(officer, REGISTRY, status=status, upload_files=[("file", name, data)])


def flat(page):
    return " ".join(page.text.split())


def test_csv_upload_all_or_nothing_with_row_errors_and_warnings(applications_app):
    officer = client(applications_app, "rup-ba01")
    before = count(officer.get(REGISTRY))
    year, day = today().year, dsu_date(today()).strftime("%d/%m/%Y")
    good, odd, other = child("AAA"), child("BBB"), child("CCC")
    bad = (HEADER + f"{good};INPS-ISEE-{year}-00000001A-00;minorenni;8500,00;{day}\n"
           f"NONVALIDO;INPS-ISEE-{year}-00000002A-00;minorenni;9000;{day}\n"
           f"{other};INPS-ISEE-{year}-00000003A-00;minorenni;9000;32/13/{year}\n")
    page = upload(officer, bad.encode(), 400)
    text = flat(page)
    assert "nessuna attestazione è stata caricata" in text
    assert re.search(r"riga 3: .*riga 4: data DSU non valida", text)
    assert count(page) == before
    assert attestations(applications_app, good) == ()
    # a strange protocol is a warning: the file loads
    ok = (HEADER + f"{good};INPS-ISEE-{year}-00000001A-00;minorenni;8500,00;{day}\n"
          f"{odd};PROT-123;ordinario;12000.50;{day}\n")
    page = upload(officer, ok.encode(), 200)
    text = flat(page)
    assert "Registro ISEE caricato: 2 attestazioni" in text
    assert "riga 3: Il protocollo DSU «PROT-123» non ha il formato atteso" in text
    assert count(officer.get(REGISTRY)) == before + 2
    loaded = attestations(applications_app, odd)
    assert [(a.source, str(a.value), a.needs_check) for a in loaded] == [("csv", "12000.50", False)]


def test_csv_upload_refuses_unreadable_files(applications_app):
    officer = client(applications_app, "rup-ba01")
    before = count(officer.get(REGISTRY))
    cases = [
        (b"", "Il file caricato è vuoto"),
        (b" \n", "Il file caricato è vuoto"),
        ((HEADER + "città;x;y;z;w\n").encode("latin-1"), "non è un testo in codifica UTF-8"),
        (b"%PDF-1.4\x00\x01binario", "non è un CSV di testo"),
        (b"nome,cognome\nMario,Rossi\n", "non ha le colonne obbligatorie"),
    ]
    for data, message in cases:
        page = upload(officer, data, 400)
        assert message in flat(page), message
        assert count(page) == before
    page = post(officer, REGISTRY, status=400)
    assert "Scegliere il file CSV" in page.text


def attestation_pdf(tmp_path):
    path = tmp_path / "attestazione.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Attestazione ISEE")
    pdf.save()
    return path.read_bytes()


def test_manual_entry_with_pdf_is_usable_then_checked(applications_app, tmp_path):
    officer = client(applications_app, "rup-ba01")
    code = child("GLI")
    protocol = f"INPS-ISEE-{today().year}-00000042B-00"
    fields = {"codice_fiscale": code, "protocollo_dsu": protocol, "tipo_isee": "minorenni",
              "valore_isee": "7300,00", "data_dsu": dsu_date(today()).isoformat()}
    pdf = attestation_pdf(tmp_path)
    # no PDF, a bad tax code, a non-PDF file: refused, nothing stored
    assert "allegare l'attestazione INPS in PDF" in post(officer, MANUAL, fields, status=400).text
    page = post(officer, MANUAL, {**fields, "codice_fiscale": "XYZ"}, status=400,
                upload_files=[("file", "a.pdf", pdf)])
    assert "errore-modulo" in page.text
    assert 'value="7300,00"' in page.text
    page = post(officer, MANUAL, fields, status=400, upload_files=[("file", "a.pdf", b"ciao")])
    assert "non è stato accettato" in page.text
    assert attestations(applications_app, code) == ()
    post(officer, MANUAL, fields, upload_files=[("file", "attestazione.pdf", pdf)])
    (entry,) = attestations(applications_app, code)
    assert (entry.source, entry.needs_check, entry.entered_by) == ("manual", True, "rup-ba01")
    registry_page = officer.get(REGISTRY)
    assert "da verificare" in registry_page.text
    assert protocol in registry_page.text
    link = re.search(r'href="([^"]*@@isee-allegato\?uid=[^"]+)"', registry_page.text).group(1)
    assert officer.get(link).body == pdf
    client(applications_app, "regione").get(REGISTRY, status=403)
    # the family submits with the manual entry, as with a CSV one
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, code)
    submit(citizen, url)
    isee = read(applications_app, url, "isee")["isee"]
    assert (isee["protocol"], isee["source"], isee["value"]) == (protocol, "manual", "7300.00")
    # the officer checks it against the PDF
    post(officer, DOMANDE + "/@@isee-verifica",
         {"codice_fiscale": code, "protocollo_dsu": protocol})
    assert [a.needs_check for a in attestations(applications_app, code)] == [False]
    assert "Nessuna attestazione da verificare" in officer.get(REGISTRY).text
    post(officer, DOMANDE + "/@@isee-verifica",
         {"codice_fiscale": code, "protocollo_dsu": protocol}, status=400)


def published_first_version(app, codes):
    """Four eligible applications, version 1 published: Gallo is not funded."""
    citizen = client(app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    submit(citizen, url)
    provider = client(app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    officer = client(app, "rup-ba01")
    for state, action in (("matched", "start_review"), ("under_review", "declare_eligible")):
        queue = officer.get(QUEUE + "?stato=" + state)
        officer.post(QUEUE, [("azione", action), ("csrf_token", csrf_token(officer))]
                     + [("uid", u) for u in uids(queue)], status=303)
    version = post(officer, RANKING).headers["Location"].replace("http://localhost", "")
    post(officer, version + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    return officer


def test_budget_increase_then_scorrimento_funds_the_next(applications_app, codes):
    officer = published_first_version(applications_app, codes)
    gallo = CALL + "/domanda-famiglia-gallo"
    assert read(applications_app, gallo, "state")["state"] == "admitted_unfunded"
    protocol = read(applications_app, gallo, "protocol")["protocol"]
    region = client(applications_app, "regione")
    page = region.get(BUDGET)
    assert "€ 15.000,00" in page.text
    refused = post(region, BUDGET, {"ambito": "BA-01", "importo": "40.000,00", "motivo": " "},
                   status=400)
    assert "Indicare il motivo della variazione del budget" in refused.text
    assert "Importo non valido" in post(region, BUDGET, {"ambito": "BA-01", "importo": "molti",
                                                          "motivo": "x"}, status=400).text
    assert read(applications_app, "/regione/avvisi/buoni-minori-2026",
                "budgets")["budgets"]["BA-01"] == "15000"
    officer.get(BUDGET, status=403)  # the ATS does not set its own budget
    post(region, BUDGET, {"ambito": "BA-01", "importo": "40.000,00",
                          "motivo": "Risorse aggiuntive, DGR n. 45/2026"})
    call = read(applications_app, "/regione/avvisi/buoni-minori-2026", "budgets", "budget_log",
                "uid")
    assert call["budgets"]["BA-01"] == "40000.00"
    last = call["budget_log"][-1]
    assert (last["old"], last["new"], last["reason"], last["who"]) == (
        "15000", "40000.00", "Risorse aggiuntive, DGR n. 45/2026", "regione")
    entries = run_in_app(applications_app,
                         lambda portal: portal._p_jar.root()[AUDIT_KEY].for_object(call["uid"]))
    logged = [e for e in entries if e["action"] == "variazione budget avviso"]
    assert logged
    assert logged[0]["details"]["new"] == "40000.00"
    assert logged[0]["details"]["reason"] == "Risorse aggiuntive, DGR n. 45/2026"
    history = flat(region.get(BUDGET))
    assert "Risorse aggiuntive, DGR n. 45/2026" in history
    assert "€ 40.000,00" in history
    # the ATS computes the next version: the first not funded is now funded
    v2 = post(officer, RANKING, {"motivo": "Aumento del budget (DGR n. 45/2026)"})
    v2_url = v2.headers["Location"].replace("http://localhost", "").rstrip("/")
    assert v2_url.endswith("/2")
    page = flat(officer.get(v2_url))
    assert "Budget dell'Ambito: da € 15.000,00 a € 40.000,00." in page
    assert f"{protocol}: finanziata per scorrimento" in page
    post(officer, v2_url + "/@@pubblica", {"atto": "Determinazione n. 20/2026"})
    values = read(applications_app, gallo, "state", "ranking_outcome")
    assert values["state"] == "funded"
    assert values["ranking_outcome"]["version"] == 2
