"""Demo applications: a published call, ISEE registry rows and three matched applications in BA-01.

Dates are taken from the day the demo is built (the call is open, the DSUs
valid, the children of the right age), so the demo and the tests built on it
keep working as the calendar moves. Every tax code is synthetic and valid.
Run after ``add_catalogue_demo`` (the applications choose a catalogue entry).
"""
from datetime import UTC, date, datetime, time, timedelta

from pyramid.traversal import resource_path

import workflows
from content_types.application import Application
from content_types.call import Call
from content_types.folder import Folder
from content_types.security import PROVIDER, set_local_roles
from content_types.values import ROME, rome_today, to_decimal, utcnow
from portal.applications import services
from portal.applications.rules.copayment import ChildrenScheme
from portal.applications.rules.isee import make_attestation
from portal.applications.rules.matching import accept, entry_fee
from portal.applications.rules.submission import receipt_data, submit
from portal.db import DOCUMENTS_KEY
from portal.demo.ids import fiscal_code
from portal.documents import layouts
from portal.documents.service import query_service
from portal.payments.ledger import ledger_of

CALL_CODE = "buoni-minori-2026"
CALL_TITLE = "Buoni servizio minori 2026"
ENTRY_PATH = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
BUDGETS = {"BA-01": "15000", "TA-01": "12000", "LE-03": "10000"}
#: how an ATS's budget is split by fund source (the rest of ``BUDGETS`` on the default fund);
#: BA-01 stays on one fund: the tests of its rankings type one amount per ATS
FUND_SPLITS = {"TA-01": {"FSE": "8000", "FNPS": "4000"},
               "LE-03": {"FSE": "6000", "FNPS": "2500", "FGSA": "1500"}}


def months_before(day, months):
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def people(today=None):
    """The demo's children and families (codes depend on today's date: always ~1-2 years old)."""
    today = today or rome_today()
    child = months_before(today, 18)
    return {
        # the demo citizen's family (cittadino = Marco Conte)
        "luca": fiscal_code("CNT", "LCU", child),
        "sofia": fiscal_code("CNT", "SFO", months_before(today, 12), female=True),
        # ISEE registry cases that must be refused
        "over_threshold": fiscal_code("BNC", "GLI", child, female=True),
        "wrong_type": fiscal_code("VRD", "LNZ", child),
        "expired": fiscal_code("NRE", "FNC", child),
        "adult": "CNTMRC85P09E506E",  # the citizen himself: no ISEE of his own on file
        # other families, already submitted and matched
        "rossi": fiscal_code("RSS", "GNN", months_before(today, 20)),
        "esposito": fiscal_code("SPS", "NNA", months_before(today, 22), female=True),
        "gallo": fiscal_code("GLL", "PLA", months_before(today, 16)),
    }


def dsu_date(today):
    """A DSU filed this year, before today (valid until 31 December)."""
    return max(date(today.year, 1, 1), today - timedelta(days=20))


def isee_rows(today):
    codes = people(today)
    valid = dsu_date(today)
    last_year = date(today.year - 1, 3, 1)
    return (
        (codes["luca"], "INPS-ISEE-%d-00012450A-00", "minorenni", "12450.00", valid),
        (codes["sofia"], "INPS-ISEE-%d-00012451A-00", "minorenni", "12450.00", valid),
        (codes["over_threshold"], "INPS-ISEE-%d-00045000B-00", "ordinario", "45000.00", valid),
        (codes["wrong_type"], "INPS-ISEE-%d-00008000C-00", "universita", "8000.00", valid),
        (codes["expired"], "INPS-ISEE-%d-00009000D-00", "minorenni", "9000.00", last_year),
        (codes["rossi"], "INPS-ISEE-%d-00001800F-00", "minorenni", "1800.00", valid),
        (codes["esposito"], "INPS-ISEE-%d-00006200G-00", "minorenni", "6200.00", valid),
        (codes["gallo"], "INPS-ISEE-%d-00018000H-00", "minorenni", "18000.00", valid),
    )


#: login, applicant, applicant code, beneficiary key, beneficiary name, household, minutes ago
SUBMITTED = (
    ("famiglia-rossi", "Maria Rossi", "RSSMRA88C52A662W", "rossi", "Giovanni Rossi",
     "FAM-ROSSI", 300),
    ("famiglia-esposito", "Giuseppe Esposito", "SPSGPP46L21L049R", "esposito",
     "Anna Esposito", "FAM-ESPOSITO", 240),
    ("famiglia-gallo", "Anna Bianco", "BNCNNA90A45D862T", "gallo", "Paolo Gallo",
     "FAM-GALLO", 180),
)


def _rome(day, hour):
    return datetime.combine(day, time(hour), ROME).astimezone(UTC)


def demo_rules():
    """The rules of the demo's calls: children 3–36 months in Puglia, Avviso 1/2017 bands."""
    return {
        "eligibility": {"target": "children_0_36", "isee_types": ["minorenni", "ordinario"],
                        "isee_max": "40000", "residence_region": "16"},
        "copayment": ChildrenScheme().to_data(),
        "ranking": {"keys": [{"field": "priority", "order": "desc"},
                             {"field": "isee", "order": "asc"},
                             {"field": "submitted_at", "order": "asc"}]},
    }


def make_call(today):
    opens = today - timedelta(days=30)
    closes = today + timedelta(days=120)
    call = Call(title=CALL_TITLE, creator="regione", code=CALL_CODE, target="children_0_36",
                description="Buoni servizio per la frequenza di nidi e sezioni primavera "
                            "(bambini da 3 a 36 mesi).",
                period_start=today, period_end=today + timedelta(days=300),
                opens_at=_rome(opens, 9), closes_at=_rome(closes, 12), max_months=10)
    call.set_rules(**demo_rules())
    for code, amount in BUDGETS.items():
        call.set_budget(code, amount, reason="", who="regione")
    return call


def add_applications_demo(portal, registry, today=None):
    """Idempotent: the call (published), its folders, ISEE rows, delegation, 3 applications."""
    today = today or rome_today()
    region = portal["regione"]
    avvisi = region.get("avvisi")
    if avvisi is None:
        avvisi = Folder(title="Avvisi", creator="regione",
                        description="Avvisi pubblici per i buoni servizio.")
        region.add("avvisi", avvisi, registry=registry)
    call = avvisi.get(CALL_CODE)
    if call is None:
        call = make_call(today)
        avvisi.add(CALL_CODE, call, registry=registry)
    call_path = "/regione/avvisi/" + CALL_CODE
    _split_budgets(portal, call)
    services.publish_call(portal, call, "regione", call_path, registry,
                          when=call.opens_at - timedelta(days=1))
    district = portal["ambiti"]["ba-01"]
    domande = district["domande"]
    for code, protocol, kind, value, day in isee_rows(today):
        if not domande.isee_registry.attestations(code):
            domande.isee_registry.add(make_attestation(code, protocol % day.year, kind, value,
                                                       day))
    if "cittadino" not in domande.delegations:
        domande.delegations["cittadino"] = {"delegate": "caf", "granted_at": utcnow(),
                                            "scope": CALL_CODE}
    _submit_demo_applications(portal, call, domande[CALL_CODE], registry)
    return call


def _split_budgets(portal, call):
    """Each ATS's budget in the ledger by fund, once (before the call's total is adopted)."""
    for district in portal["ambiti"].values():
        split = FUND_SPLITS.get(getattr(district, "code", None))
        if not split:
            continue
        ledger = ledger_of(district)
        if ledger.totals(call.series).budget:
            continue  # already split (the demo is idempotent)
        for fund, amount in split.items():
            ledger.set_budget(call.series, fund, to_decimal(amount), who="regione",
                              when=call.opens_at, reason="Riparto del budget per fonte")


def _submit_demo_applications(portal, call, folder, registry):
    entry = services.resolve_path(portal, ENTRY_PATH)
    if entry is None:
        return []
    codes = people()
    district = folder.__parent__.__parent__
    made = []

    def fire(obj, name, comment=""):
        return workflows.fire(obj, None, name, comment, registry=registry)

    for login, applicant, applicant_code, key, child, household, ago in SUBMITTED:
        name = "domanda-" + login
        if name in folder:
            continue
        application = Application(title="Domanda in bozza", creator=login,
                                  call_uid=call.uid)
        folder.add(name, application, registry=registry)
        application.assign_parties(login)
        application.set_data({
            "applicant_name": applicant, "applicant_fiscal_code": applicant_code,
            "email": f"{login}@example.it", "household_code": household,
            "beneficiary_name": child, "beneficiary_fiscal_code": codes[key],
            "residence_municipality": "072006", "residence_region": "16",
            "catalogue_entry_path": ENTRY_PATH, "full_time": True, "months": 10,
        })
        when = utcnow() - timedelta(minutes=ago)
        fee = entry_fee(entry, services.service_day(call), True)
        submit(services.context_for(application), fee=fee, now=when, by=login, fire=fire)
        for principal in services.provider_operators(entry):
            set_local_roles(application, principal, {PROVIDER})
        accept(application, entry, who="girasole", when=when + timedelta(minutes=30),
               fire=fire)
        service = query_service(registry)
        if service is not None:
            issue_receipt(portal, service, application, call, district)
        made.append(application)
    return made


def issue_receipt(portal, service, application, call, district):
    # not a circle: at module level (tests/conftest.py imports portal.demo) these make the
    # test session end on an unclosed-file ResourceWarning; not yet explained

    registry = portal._p_jar.root().get(DOCUMENTS_KEY) if portal._p_jar is not None else None
    if registry is None:
        return None
    record = service.issue(registry, layouts.application_receipt,
                           receipt_data(application, call, district.title),
                           kind="ricevuta-domanda",
                           title=f"Ricevuta della domanda {application.protocol}",
                           protocol=application.protocol, object_uid=application.uid,
                           object_path=resource_path(application),
                           date=application.submitted_at, subject=application.applicant_name)
    application.receipt_uid = record.doc_id
    return record
