"""Demo of the monthly cycle: a closed call (2025/2026) ranked, funded, started and paid in part.

The call ``buoni-minori-2025`` of BA-01 has a budget split by fund (FSE + FNPS), three
applications reviewed and ranked by a published, signed ranking (two funded, one not),
services started three months ago by the provider, and one attestation in each state:
months paid by a signed payment act, a month validated awaiting payment, one sent to the
ATS, one signed by the family waiting to be sent, and this month's draft waiting for the
family's confirmation (login ``genitore``). Everything goes through the services users'
requests call (submission, matching, ranking, attestations, validation, payment acts),
with dates taken from today (``rome_today``) so the demo stays right as the calendar moves.
Run after ``add_applications_demo`` (the other call keeps the first protocol numbers).
"""
from datetime import UTC, date, datetime, time, timedelta

import workflows
import workflows.application as wf
from content_types.application import Application
from content_types.call import Call
from content_types.ranking import RankingVersion
from content_types.security import PROVIDER, set_local_roles
from content_types.values import ROME, rome_today, to_decimal, utcnow
from portal.applications import ranking_service, services
from portal.applications.rules.isee import make_attestation
from portal.applications.rules.matching import accept, entry_fee
from portal.applications.rules.review import record_checklist
from portal.applications.rules.submission import submit
from portal.db import DOCUMENTS_KEY
from portal.demo.applications import ENTRY_PATH, demo_rules, issue_receipt, months_before
from portal.demo.ids import fiscal_code
from portal.documents.service import query_service
from portal.jobs.runner import get_store
from portal.jobs.store import PENDING, RUNNING
from portal.mail import MAIL_JOB
from portal.payments import acts, family, validation
from portal.payments import attestations as attestation_service
from portal.payments.ledger import ledger_of
from portal.payments.rules.monthly import Attendance, month_key
from workflows import attestation as attestation_workflow

CALL_CODE = "buoni-minori-2025"
CALL_TITLE = "Buoni servizio minori 2025/2026"
DISTRICT = "ba-01"
#: BA-01's budget for the call, by fund source: two vouchers fit, the third does not
FUNDS = {"FSE": "7000", "FNPS": "3500"}
OFFICER, PROVIDER_LOGIN = "rup-ba01", "girasole"
ACT_REFERENCE = "Determinazione dirigenziale n. 41 (demo)"
#: the demo login of the family that confirms this month's attestation
FAMILY_LOGIN = "genitore"
FAMILY_NAME, FAMILY_CODE = "Laura Ferri", fiscal_code("FRR", "LRA", date(1990, 3, 12),
                                                         female=True)


def families(today):
    """login, applicant, applicant code, child, child code, household, ISEE (most needy first)."""
    born = months_before(today, 20)
    return (
        (FAMILY_LOGIN, FAMILY_NAME, FAMILY_CODE, "Matteo Ferri",
         fiscal_code("FRR", "MTT", born), "FAM-FERRI", "4200.00"),
        ("famiglia-lopez", "Carmen Lopez", fiscal_code("LPZ", "CRM", date(1987, 6, 2),
                                                        female=True),
         "Diego Lopez", fiscal_code("LPZ", "DGI", months_before(today, 22)), "FAM-LOPEZ",
         "7600.00"),
        ("famiglia-russo", "Paolo Russo", fiscal_code("RSS", "PLA", date(1984, 11, 20)),
         "Giulia Russo", fiscal_code("RSS", "GLI", months_before(today, 19), female=True),
         "FAM-RUSSO", "16500.00"),
    )


def _rome(day, hour=10):
    """``day`` at ``hour`` in Rome, never after now (this month's steps happen "today")."""
    return min(datetime.combine(day, time(hour), ROME).astimezone(UTC),
               utcnow() - timedelta(minutes=5))


def dates(today):
    """The calendar of the cycle, relative to today."""
    period_start = months_before(today, 4)
    return {"period_start": period_start, "opens": period_start - timedelta(days=75),
            "closes": period_start - timedelta(days=15),
            "submitted": period_start - timedelta(days=40),
            "reviewed": period_start - timedelta(days=12),
            "ranked": period_start - timedelta(days=8),
            "service_start": months_before(today, 3)}


def make_call(today):
    days = dates(today)
    start = days["period_start"]
    call = Call(title=CALL_TITLE, creator="regione", code=CALL_CODE, target="children_0_36",
                description="Buoni servizio per la frequenza di nidi e sezioni primavera "
                            "(anno educativo 2025/2026, domande chiuse).",
                period_start=start, period_end=months_before(start, -10) - timedelta(days=1),
                opens_at=_rome(days["opens"], 9), closes_at=_rome(days["closes"], 12),
                max_months=10)
    call.set_rules(**demo_rules())
    total = sum(to_decimal(v) for v in FUNDS.values())
    call.set_budget("BA-01", str(total), reason="", who="regione")
    return call


def add_cycle_demo(portal, registry, today=None):
    """Idempotent: the call and its cycle are built once, whole (nothing if the call exists)."""
    today = today or rome_today()
    avvisi = portal["regione"]["avvisi"]
    service = query_service(registry)
    jar = getattr(portal, "_p_jar", None)
    entry = services.resolve_path(portal, ENTRY_PATH)
    if CALL_CODE in avvisi or service is None or jar is None or entry is None:
        return None
    documents = jar.root()[DOCUMENTS_KEY]
    since = utcnow()
    days = dates(today)
    call = make_call(today)
    avvisi.add(CALL_CODE, call, registry=registry)
    district = portal["ambiti"][DISTRICT]
    ledger = ledger_of(district)
    for fund, amount in FUNDS.items():
        ledger.set_budget(call.series, fund, to_decimal(amount), who="regione",
                          when=call.opens_at, reason="Riparto del budget per fonte")
    services.publish_call(portal, call, "regione", "/regione/avvisi/" + CALL_CODE, registry,
                          when=call.opens_at - timedelta(days=1))

    def fire(obj, name, comment=""):
        return workflows.fire(obj, None, name, comment, registry=registry)

    applications = _applications(district, call, entry, today, days, registry, fire)
    for application in applications:
        issue_receipt(portal, service, application, call, district)
    _review(applications, days, fire)
    _rank_and_publish(district, call, days, registry, service, documents, fire)
    funded = [a for a in applications if a.state == wf.FUNDED]
    for application in funded:
        fire(application, wf.ACTIVATE, "Servizio avviato dall'ente gestore.")
        # the provider started it three months ago (the subscriber wrote this month)
        application.service_start = days["service_start"]
    _attestations(district, funded, today, registry, service, documents, fire)
    _keep_mail_of_the_past(portal, since)
    return call


def _keep_mail_of_the_past(portal, since):
    """The cycle's notes stay in the inboxes; their e-mails, about months gone by, never leave.

    Registered after the notifications' own before-commit hook (the first transition of
    the transaction added it), so it sees the mail jobs the notes queued.
    """
    conn = portal._p_jar

    def hold():
        for job in get_store(conn).jobs((PENDING, RUNNING)):
            if job.kind == MAIL_JOB and job.created >= since:
                job.succeeded(utcnow())
                job.last_error = "Non inviata: notifica dei dati dimostrativi."
    conn.transaction_manager.get().addBeforeCommitHook(hold)


def _applications(district, call, entry, today, days, registry, fire):
    domande = district["domande"]
    folder = domande[CALL_CODE]
    dsu = max(date(days["submitted"].year, 1, 1), days["submitted"] - timedelta(days=10))
    made = []
    for number, (login, applicant, applicant_code, child, child_code, household,
                 isee) in enumerate(families(today)):
        if not domande.isee_registry.attestations(child_code):
            domande.isee_registry.add(make_attestation(
                child_code, f"INPS-ISEE-{dsu.year}-0000{number}77K-00", "minorenni", isee, dsu))
        application = Application(title="Domanda in bozza", creator=login,
                                           call_uid=call.uid)
        folder.add("domanda-" + login, application, registry=registry)
        application.assign_parties(login)
        application.set_data({
            "applicant_name": applicant, "applicant_fiscal_code": applicant_code,
            "email": f"{login}@example.it", "household_code": household,
            "beneficiary_name": child, "beneficiary_fiscal_code": child_code,
            "residence_municipality": "072006", "residence_region": "16",
            "catalogue_entry_path": ENTRY_PATH, "full_time": True, "months": 10,
        })
        when = _rome(days["submitted"], 9 + number)
        fee = entry_fee(entry, services.service_day(call), True)
        submit(services.context_for(application), fee=fee, now=when, by=login, fire=fire)
        for principal in services.provider_operators(entry):
            set_local_roles(application, principal, {PROVIDER})
        accept(application, entry, who=PROVIDER_LOGIN, when=when + timedelta(hours=2),
               fire=fire)
        made.append(application)
    return made


def _review(applications, days, fire):
    when = _rome(days["reviewed"])
    for application in applications:
        fire(application, wf.START_REVIEW, "")
        record_checklist(application, ("identita", "residenza", "isee", "allegati"),
                         "Istruttoria completa.", who=OFFICER, when=when)
        fire(application, wf.DECLARE_ELIGIBLE, "")


def _rank_and_publish(district, call, days, registry, service, documents, fire):
    """Freeze version 1 as the ranking page does, then publish it (signed PDF, funding)."""
    when = _rome(days["ranked"])
    snapshot = ranking_service.compute(district, call, CALL_CODE, who=OFFICER, when=when)
    folder = ranking_service.call_folder(district, CALL_CODE, registry)
    version = RankingVersion(title=f"Graduatoria {call.title} — {district.code} — versione 1",
                             creator=OFFICER)
    version.snapshot = snapshot
    folder.add(str(snapshot.version), version, registry=registry)
    ranking_service.publish(district, version, ACT_REFERENCE, who=OFFICER,
                            when=when + timedelta(days=1), fire=fire, service=service,
                            documents=documents)
    return version


def _attest(application, month, registry, today, open_days=20, absences=1):
    """The provider's draft of ``month`` (a date), its invoice equal to the voucher share."""
    attendance = Attendance(open_days, open_days - absences, absences, True)
    context = attestation_service.context_of(application)
    voucher = attestation_service.amounts_for(context, month, attendance).voucher
    invoice = (f"FT-{month_key(month)}-{application.protocol[-3:]}",
               months_before(month, -1) + timedelta(days=2), voucher)
    return attestation_service.create(application, month_key(month), attendance, invoice,
                                      who=PROVIDER_LOGIN, registry=registry, today=today,
                                      context=context)


def _sign(attestation, fire, when):
    application = attestation.application
    fire(attestation, attestation_workflow.SIGN, "Confermata dalla famiglia nell'area personale")
    family.record(attestation, family.IN_PORTAL, application.applicant_login, when=when)


def _attestations(district, funded, today, registry, service, documents, fire):
    """Ferri: two months paid, one validated, this month a draft; Lopez: paid, sent, signed."""
    ferri, lopez = funded
    months = [months_before(today, n) for n in (3, 2, 1, 0)]
    plan = ((ferri, months, ("paid", "paid", "validated", "draft")),
            (lopez, months[:3], ("paid", "sent", "signed")))
    to_pay = []
    for application, its_months, states in plan:
        for month, state in zip(its_months, states, strict=True):
            attestation = _attest(application, month, registry, today)
            if state == "draft":
                continue
            when = _rome(months_before(month, -1) + timedelta(days=3))
            _sign(attestation, fire, when)
            if state == "signed":
                continue
            fire(attestation, attestation_workflow.SEND, "")
            if state == "sent":
                continue
            validation.validate(attestation, who=OFFICER, when=when + timedelta(days=2),
                                today=today, fire=fire)
            if state == "paid":
                to_pay.append(attestation)
    act_day = months_before(today, 1) + timedelta(days=9)
    acts.issue(district, [a.uid for a in to_pay], who=OFFICER, registry=registry,
               service=service, selection={"provider": "", "month": ""},
               when=_rome(act_day), documents=documents)
