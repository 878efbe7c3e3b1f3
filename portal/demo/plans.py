"""Demo zone plans: BA-01's plan 2025–2027 approved and in execution, TA-01's sent to the Region.

BA-01's plan pays the demo's «Buoni servizio minori» vouchers from its FSE line, so what the
monthly cycle paid shows against that intervention by itself; its FNPS is partly committed
(below the Region's 90 % threshold: the dashboard warns). The Region asks € 5 per inhabitant
a year of every municipality [A].
"""
import io
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from content_types.zone_plan import ARCHIVE_NAME
from portal.documents.service import query_service
from portal.plans import archive, execution, store, summary
from portal.plans.rules import model
from workflows import zone_plan as workflow
from workflows.registry import get_workflow

PERIOD = "2025-2027"
YEARS = ("2025", "2026", "2027")
MIN_COFINANCING = Decimal("5.00")
FNPS_THRESHOLD = Decimal(90)
#: (ATS, code → per-year availability of the ordinary and other sources)
AVAILABLE = {
    "ba-01": {"RES": ("210.000,00", "", ""), "FNPS": ("920.000,00",) * 3,
              "FNA": ("640.000,00",) * 3, "POV": ("1.150.000,00",) * 3,
              "FGSA": ("460.000,00",) * 3, "PNRR": ("200.000,00", "420.000,00", "300.000,00"),
              "FSE": ("60.000,00",) * 3},
    "ta-01": {"RES": ("95.000,00", "", ""), "FNPS": ("560.000,00",) * 3,
              "FNA": ("410.000,00",) * 3, "POV": ("700.000,00",) * 3,
              "FGSA": ("280.000,00",) * 3, "PNRR": ("",) * 3, "FSE": ("",) * 3},
}
INTERVENTIONS = (
    ("PSW", "Servizio sociale professionale e segretariato sociale", "PSW", "MULBEN", "1A",
     "Tutta la popolazione", "Sportelli di segretariato in ogni comune dell'Ambito."),
    ("PIS", "Pronto intervento sociale", "EMERG", "POV", "1C", "Persone in emergenza",
     "Reperibilità h24 e posti di accoglienza temporanea."),
    ("SAD", "Assistenza domiciliare socio-assistenziale (SAD/ADI quota sociale)", "HOMECARE",
     "ELD", "2D", "Anziani e persone non autosufficienti", "Ore di assistenza a domicilio."),
    ("INC", "Servizi per i progetti di inclusione", "INCLUS", "POV", "5I",
     "Nuclei beneficiari di misure di inclusione", "Tirocini e percorsi di inclusione."),
    ("CDM", "Centri diurni per minori (art. 52)", "DAYC", "FAM", "3G", "Minori 6-17 anni", ""),
    ("BSM", "Buoni servizio per l'infanzia", "HEALTHV", "FAM", "3F",
     "Famiglie con bambini 0-36 mesi", "Buoni servizio per i servizi dell'infanzia del catalogo."),
)
#: (intervention, source) → per year
ALLOCATED = {
    "ba-01": {("PSW", "FNPS"): "420.000,00", ("PSW", "COM"): "600.000,00",
              ("PIS", "POV"): "300.000,00", ("SAD", "FNA"): "600.000,00",
              ("SAD", "FGSA"): "250.000,00", ("INC", "POV"): "800.000,00",
              ("INC", "PNRR"): "200.000,00", ("CDM", "FNPS"): "380.000,00",
              ("CDM", "COM"): "900.000,00", ("CDM", "FGSA"): "150.000,00",
              ("BSM", "FSE"): "60.000,00"},
    "ta-01": {("PSW", "FNPS"): "300.000,00", ("PSW", "COM"): "400.000,00",
              ("PIS", "POV"): "200.000,00", ("SAD", "FNA"): "400.000,00",
              ("SAD", "FGSA"): "150.000,00", ("INC", "POV"): "450.000,00",
              ("CDM", "FNPS"): "200.000,00", ("CDM", "COM"): "500.000,00"},
}
#: BA-01's FNPS so far: (intervention, year, kind, amount, act)
MOVEMENTS = (
    ("PSW", 2025, model.IMPEGNO, "420.000,00", "Determinazione n. 112/2025"),
    ("CDM", 2025, model.IMPEGNO, "240.000,00", "Determinazione n. 131/2025"),
    ("PSW", 2025, model.LIQUIDAZIONE, "315.000,00", "Liquidazione n. 58/2025"),
    ("CDM", 2025, model.LIQUIDAZIONE, "120.000,00", "Liquidazione n. 77/2025"),
)
WHO = {"ba-01": "rup-ba01", "ta-01": "rup-ta01"}
#: the deliberation in BA-01's archive: its words are what the archive's search finds
DELIBERATION = (
    "Coordinamento istituzionale dell'Ambito territoriale di Bari",
    "Deliberazione n. 4 del 12 marzo 2025",
    "Oggetto: approvazione del Piano sociale di zona 2025-2027.",
    "Il Coordinamento, sentito il tavolo di concertazione con il terzo settore,",
    "approva il quadro finanziario e la programmazione degli interventi.",
)


def _rows(values):
    return dict(zip(YEARS, values, strict=True))


def _fill(version, district, code, voucher_series):
    who = WHO[code]
    available = AVAILABLE[code]
    store.save_sources(version, [dict(s, amounts=_rows(available.get(s["code"], ("",) * 3)))
                                 for s in version.sources], sent_token=None, who=who)
    store.save_cofinancing(version, [
        {"istat": m.istat, "amounts": dict.fromkeys(YEARS, str(MIN_COFINANCING * m.inhabitants))}
        for m in store.municipalities_of(district)], sent_token=None, who=who)
    allocated = ALLOCATED[code]
    used = {i for i, _s in allocated}
    store.save_interventions(version, [
        {"code": c, "title": t, "service": s, "area": a, "objective": o, "level": "AMBITO",
         "target": target, "description": description,
         "voucher_series": [voucher_series] if c == "BSM" and voucher_series else []}
        for c, t, s, a, o, target, description in INTERVENTIONS if c in used],
        sent_token=None, who=who)
    store.save_allocations(version, [
        {"intervention": i, "source": s, "year": y, "amount": amount}
        for (i, s), amount in allocated.items() for y in YEARS], sent_token=None, who=who)


def add_plans_demo(portal, registry):
    """Idempotent: the Region's settings and the two plans, when missing."""
    region = portal["regione"]
    if region.plan_min_cofinancing is None:
        region.plan_min_cofinancing = MIN_COFINANCING
    if region.plan_fnps_threshold is None:
        region.plan_fnps_threshold = FNPS_THRESHOLD
    engine = get_workflow(registry, workflow.NAME)
    calls = region.get("avvisi")
    voucher = calls.get("buoni-minori-2025") if calls is not None else None
    series = getattr(voucher, "series", "")
    for code, transitions in (("ba-01", (workflow.SUBMIT, workflow.TAKE_IN_CHARGE,
                                         workflow.APPROVE)),
                              ("ta-01", (workflow.SUBMIT,))):
        district = portal["ambiti"].get(code)
        folder = store.folder_of(district) if district is not None else None
        if district is None or (folder is not None and PERIOD in folder):
            continue
        plan = store.create_plan(district, PERIOD, who=WHO[code], registry=registry)
        version = store.latest(plan)
        _fill(version, district, code, series)
        for name in transitions:
            engine.fire(version, None, name, registry=registry)
        if code == "ba-01":
            _archive(plan, version, registry)
            for intervention, year, kind, amount, act in MOVEMENTS:
                execution.record(plan, model.Movement(intervention, "FNPS", year, kind,
                                                      model.parse_amount(amount), act),
                                 who=WHO[code])


def _pdf(lines):
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(lines[1])
    for number, line in enumerate(lines):
        page.drawString(72, 770 - 18 * number, line)
    page.save()
    return out.getvalue()


def _archive(plan, version, registry):
    """The deliberation that adopted the plan and the signed plan, in BA-01's archive."""
    service = query_service(registry)
    if service is None:
        return
    documents = summary.documents_of(version)
    folders = plan[ARCHIVE_NAME]
    archive.add_document(
        folders["delibere"], _pdf(DELIBERATION), "delibera-4-2025.pdf",
        title="Deliberazione del Coordinamento istituzionale n. 4/2025",
        description="Approvazione del Piano sociale di zona 2025-2027.", who=WHO["ba-01"],
        origin="ambito", service=service, documents_registry=documents, registry=registry)
    record = documents.get(version.summary_uid) if documents is not None else None
    if record is not None:
        archive.add_document(
            folders["piano-firmato"], record.read(), "piano-sociale-di-zona-2025-2027.pdf",
            title="Piano sociale di zona 2025-2027 (riepilogo firmato)", description="",
            who=WHO["ba-01"], origin="ambito", service=service, documents_registry=documents,
            registry=registry)
