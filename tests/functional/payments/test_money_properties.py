"""Random sequences of fundings, attestations, payments, ends and budget changes through the
real services over a real FileStorage: paid ≤ committed ≤ budget per ATS, call and fund,
refusals change nothing, and every figure the pages show equals the ledger.

The four demo applications of BA-01 are taken to «eligible» once per module; each example
starts from a fresh copy of that database, swapped into the one app of the module.
"""
import csv
import io
import os
import re
import shutil
from decimal import Decimal

import lxml.html
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from pyramid_zodbconn import db_from_uri

import workflows
import workflows.application as application_workflow
from content_types.errors import ContentError
from content_types.values import ZERO, cents
from portal import main
from portal.applications import services as application_services
from portal.applications.rules.errors import BenefitError
from portal.documents import get_service
from portal.documents.devcert import ensure_dev_signer
from portal.payments import acts, attestations, budgets, service_end, validation
from portal.payments.ledger import ledger_of
from portal.payments.rules import monthly
from portal.payments.rules.errors import PaymentError
from tests.conftest import make_settings
from tests.functional.applications import conftest as fixtures
from tests.functional.applications.conftest import (
    applications_settings,
    client,
    complete_draft,
    post,
    run_in_app,
    submit,
    version_of,
)
from tests.functional.applications.test_review_and_ranking import NIDO, QUEUE, RANKING, uids
from workflows import attestation as attestation_workflow
from workflows.errors import WorkflowError

smtp_server, applications_database = fixtures.smtp_server, fixtures.applications_database

CALL_PATH = ("regione", "avvisi", "buoni-minori-2026")
CALL_CODE = "buoni-minori-2026"
DISTRICT = "/ambiti/ba-01"
BUDGET_PAGE = "/regione/avvisi/buoni-minori-2026/@@budget"
FUNDS = ("FSE", "FNPS", "REG")
#: what a service refuses with (anything else is a bug the test reports)
REFUSALS = (PaymentError, BenefitError, WorkflowError, ContentError)
PAGES_EVERY = 4
#: CI's run; MONEY_EXAMPLES=200 (say) for a longer hunt
PROFILE = settings(max_examples=int(os.environ.get("MONEY_EXAMPLES", "20")),
                   stateful_step_count=int(os.environ.get("MONEY_STEPS", "24")), deadline=None,
                   suppress_health_check=list(HealthCheck))


class Refused(Exception):
    """An action a service refused (after checking the ledger did not move)."""


def eligible_base(directory, smtp_port, codes):
    """The demo's four applications of BA-01 declared eligible (Luca's submitted, matched)."""
    app = main({}, **applications_settings(directory, smtp_port))
    try:
        citizen = client(app, "cittadino")
        url = complete_draft(citizen, codes["luca"])
        submit(citizen, url)
        provider = client(app, "girasole")
        page = provider.get(url + "/@@abbinamento")
        post(provider, url + "/@@abbinamento",
             {"decisione": "accetta", "_version": version_of(page)})
        officer = client(app, "rup-ba01")
        for action, state in (("start_review", "matched"), ("declare_eligible", "under_review")):
            queue = officer.get(QUEUE + "?stato=" + state)
            token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
            officer.post(QUEUE, [("azione", action), ("csrf_token", token)]
                         + [("uid", u) for u in uids(queue)], status=303)
        fixtures.run_in_app(app, dearer_in_three_months)
    finally:
        app.registry._zodb_databases[""].close()


def dearer_in_three_months(portal):
    """The nursery raises its tariff three months on: later months cost more than funded
    (``commitments.cover`` commits the difference, or the validation is refused)."""
    entry = application_services.resolve_path(portal, NIDO)
    now = monthly.parse_month(monthly.month_key(application_services.today()))
    current = entry.tariff_record_at(now)
    entry.record_tariff(monthly.add_months(now, 3), current.full_time + Decimal("50.00"),
                        None if current.part_time is None else current.part_time
                        + Decimal("30.00"), who="girasole")


@pytest.fixture(scope="module")
def base_dir(applications_database, smtp_server, tmp_path_factory):
    directory = tmp_path_factory.mktemp("money-properties-base")
    shutil.copytree(applications_database, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    eligible_base(directory, smtp_server[0].port, fixtures.people())
    return directory


@pytest.fixture(scope="module")
def money_app(base_dir, smtp_server, tmp_path_factory):
    """One app for the module; ``fresh()`` swaps a new copy of the base database into it."""
    work = tmp_path_factory.mktemp("money-properties-work")
    shutil.copytree(base_dir, work, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    ensure_dev_signer(make_settings(work))
    app = main({}, **applications_settings(work, smtp_server[0].port))
    counter = iter(range(10**6))

    def fresh():
        target = tmp_path_factory.getbasetemp() / f"money-example-{next(counter)}"
        shutil.copytree(base_dir, target, ignore=shutil.ignore_patterns("*.lock", "*.tmp",
                                                                        "documents"))
        app.registry._zodb_databases[""].close()
        uri = make_settings(target)["zodbconn.uri"]
        app.registry._zodb_databases[""] = db_from_uri(uri, "", {})
        return target
    app.fresh = fresh
    yield app
    app.registry._zodb_databases[""].close()


# -- reading the stored figures ---------------------------------------------------------
def at(portal, path):
    obj = portal
    for name in path:
        obj = obj[name]
    return obj


def district_of(portal):
    return portal["ambiti"]["ba-01"]


def snapshot(district):
    """Everything the ledger holds, comparable: totals, accounts and movement count."""
    ledger = ledger_of(district, create=False)
    if ledger is None:
        return None
    return (len(ledger), dict(ledger._totals.items()), dict(ledger._accounts.items()))


def applications(portal):
    return sorted(application_services.applications(district_of(portal), CALL_CODE),
                  key=lambda a: a.protocol or "")


def pick(items, index):
    if not items:
        raise Refused("nothing to act on")
    return items[index % len(items)]


def decimal_of(text):
    return Decimal(text.replace("€", "").replace("\xa0", "").replace(" ", "")
                   .replace(".", "").replace(",", "."))


# -- the machine ------------------------------------------------------------------------
class MoneyMachine(RuleBasedStateMachine):
    """Each rule one service call in its own transaction; the invariants read the ledger."""

    def __init__(self, app):
        super().__init__()
        self.app = app
        self.registry = app.registry
        app.fresh()
        self.steps = 0
        self.published = 0
        self.officer = client(app, "rup-ba01")
        self.region = client(app, "regione")

    # one transaction per action; a refusal is checked to have moved nothing, then aborted
    def act(self, work):
        def run(portal):
            district = district_of(portal)
            before = snapshot(district)
            try:
                return work(portal)
            except REFUSALS as exc:
                refusal = exc
            assert snapshot(district) == before, f"refused ({refusal!r}) but the ledger moved"
            raise Refused(str(refusal))
        name = work.__qualname__.split(".")[1].replace("created", "create_attestation")
        try:
            result = run_in_app(self.app, run)
        except Refused:
            event(f"{name}: refused")  # pytest --hypothesis-show-statistics lists these
            return None
        event(f"{name}: done")
        return result

    def fire(self, obj, name, comment=""):
        workflows.fire(obj, None, name, comment, registry=self.registry)

    def today_for(self, application):
        """The last funded month: every funded month is then in the past (or this month)."""
        context = attestations.context_of(application)
        if not context.funded:
            raise Refused("no funded months")
        return monthly.parse_month(context.funded[-1]), context

    # -- funding ----------------------------------------------------------------------
    @initialize(activate=st.sampled_from((True, True, True, False)))
    def first_ranking(self, activate):
        """Most sequences start funded (the ranking published) and with services started."""
        self.publish_ranking()
        if activate:
            for index in range(4):
                self.activate(index)

    @rule()
    def publish_ranking(self):
        """A ranking version published: FUND/SCROLL by what the ledger has left."""
        before = run_in_app(self.app, lambda p: snapshot(district_of(p)))
        params = {"motivo": "Variazione del budget"} if self.published else {}
        made = post(self.officer, RANKING, params, status="*")
        if made.status_int != 303:
            assert run_in_app(self.app, lambda p: snapshot(district_of(p))) == before
            return
        version = made.headers["Location"].replace("http://localhost", "").rstrip("/")
        done = post(self.officer, version + "/@@pubblica",
                    {"atto": f"Determinazione n. {self.published + 12}/2026"}, status="*")
        assert done.status_int in (303, 400), done.status
        if done.status_int == 303:
            self.published += 1
            event("publish_ranking: done")

    @rule(index=st.integers(0, 7))
    def activate(self, index):
        def work(portal):
            funded = [a for a in applications(portal)
                      if a.state == application_workflow.FUNDED]
            self.fire(pick(funded, index), application_workflow.ACTIVATE)
        self.act(work)

    # -- the monthly cycle ------------------------------------------------------------
    @rule(index=st.integers(0, 7), month=st.integers(0, 11), open_days=st.integers(0, 23),
          attended=st.integers(-1, 25), full_time=st.booleans(),
          invoice=st.sampled_from(("ok", "ok", "ok", "none", "wrong")))
    def create_attestation(self, index, month, open_days, attended, full_time, invoice):
        self.created(index, month, open_days, attended, full_time, invoice)

    def created(self, index, month, open_days, attended, full_time, invoice):
        """A new attestation by the provider (its uid), or None when refused."""
        def work(portal):
            active = [a for a in applications(portal)
                      if a.state == application_workflow.ACTIVE]
            application = pick(active, index)
            today, context = self.today_for(application)
            key = context.funded[month % len(context.funded)]
            first = monthly.parse_month(key)
            attendance = monthly.Attendance(open_days, attended,
                                            max(open_days - attended, 0), full_time)
            amount = None
            if invoice != "none" and 0 <= attended <= open_days:
                voucher = attestations.amounts_for(context, first, attendance).voucher
                amount = voucher if invoice == "ok" else voucher + Decimal("0.01")
            return attestations.create(application, key, attendance,
                                (f"F-{key}", first, amount) if amount is not None else
                                ("", None, None), who="girasole", registry=self.registry,
                                today=today, context=context).uid
        return self.act(work)

    @rule(index=st.integers(0, 7), month=st.integers(0, 11), attended=st.integers(0, 20),
          stage=st.sampled_from((attestation_workflow.SIGN, attestation_workflow.SEND,
                                 attestation_workflow.VALIDATE, attestation_workflow.PAY)))
    def month_cycle(self, index, month, attended, stage):
        """One month created by the provider and taken on to ``stage`` (as the pages do)."""
        uid = self.created(index, month, 20, attended, True, "ok")
        if uid is None:
            return
        order = (attestation_workflow.SIGN, attestation_workflow.SEND,
                 attestation_workflow.VALIDATE, attestation_workflow.PAY)
        for step in order[:order.index(stage) + 1]:
            {attestation_workflow.SIGN: self.family_signs,
             attestation_workflow.SEND: self.provider_sends,
             attestation_workflow.VALIDATE: self.officer_validates,
             attestation_workflow.PAY: lambda i, uid: self.issue_act(255, False)}[step](0, uid)

    def on_attestation(self, index, states, do, uid=None):
        def work(portal):
            found = [t for a in applications(portal) for t in attestations.attestations_of(a)
                     if t.state in states and uid in (None, t.uid)]
            return do(pick(found, index))
        work.__qualname__ = do.__qualname__
        return self.act(work)

    @rule(index=st.integers(0, 15))
    def family_signs(self, index, uid=None):
        self.on_attestation(index, (attestation_workflow.DRAFT,),
                            lambda t: self.fire(t, attestation_workflow.SIGN), uid)

    @rule(index=st.integers(0, 15))
    def provider_sends(self, index, uid=None):
        self.on_attestation(index, (attestation_workflow.SIGNED,),
                            lambda t: self.fire(t, attestation_workflow.SEND), uid)

    @rule(index=st.integers(0, 15))
    def officer_validates(self, index, uid=None):
        def do(attestation):
            today, _context = self.today_for(attestation.application)
            validation.validate(attestation, who="rup-ba01", when=application_services.now(),
                                today=today,
                                fire=self.fire)
        self.on_attestation(index, (attestation_workflow.SENT, attestation_workflow.SIGNED),
                            do, uid)

    @rule(index=st.integers(0, 15), reason=st.sampled_from(("", "Presenze da rivedere")))
    def officer_returns(self, index, reason):
        self.on_attestation(
            index, (attestation_workflow.SENT,),
            lambda t: validation.give_back(t, reason, who="rup-ba01",
                                           when=application_services.now(),
                                           fire=self.fire))

    @rule(index=st.integers(0, 15))
    def provider_revises(self, index):
        self.on_attestation(index, (attestation_workflow.REJECTED,),
                            lambda t: self.fire(t, attestation_workflow.REVISE))

    # -- payment acts -----------------------------------------------------------------
    @rule(mask=st.integers(0, 255), stale=st.booleans())
    def issue_act(self, mask, stale):
        def work(portal):
            district = district_of(portal)
            found = [t for t in acts.attestations(district)
                     if t.state in (attestation_workflow.VALIDATED, attestation_workflow.PAID)
                     or stale]
            chosen = [t.uid for i, t in enumerate(found) if mask >> (i % 8) & 1] or \
                [t.uid for t in found[:1]]
            payable = bool(chosen) and all(acts.is_payable(t) for t in found if t.uid in chosen)
            refusal = None
            try:
                acts.issue(district, chosen, who="rup-ba01", registry=self.registry,
                           service=get_service(self.registry))
            except REFUSALS as exc:
                refusal = exc
            # validated months hold their money: paying them is never refused
            assert refusal is None or not payable, f"validated months not payable: {refusal!r}"
            if refusal is not None:
                raise refusal
        self.act(work)

    @rule(index=st.integers(0, 7), mask=st.integers(0, 255))
    def correct_act(self, index, mask):
        def work(portal):
            act = pick(acts.acts_of(district_of(portal)), index)
            lines = [line["attestation_uid"] for line in act.lines]
            chosen = [u for i, u in enumerate(lines) if mask >> (i % 8) & 1] or lines[:mask % 2]
            acts.correct(act, chosen, "Importo liquidato per errore", who="rup-ba01",
                         registry=self.registry, service=get_service(self.registry))
        self.act(work)

    # -- ends -------------------------------------------------------------------------
    @precondition(lambda self: self.steps >= 12)
    @rule(index=st.integers(0, 7))
    def revoke(self, index):
        def work(portal):
            found = [a for a in applications(portal) if a.state in (
                application_workflow.ELIGIBLE, application_workflow.FUNDED,
                application_workflow.ACTIVE, application_workflow.ADMITTED_UNFUNDED)]
            self.fire(pick(found, index), application_workflow.REVOKE, "Requisiti venuti meno")
        self.act(work)

    @precondition(lambda self: self.steps >= 12)
    @rule(index=st.integers(0, 7))
    def withdraw(self, index):
        def work(portal):
            found = [a for a in applications(portal)
                     if a.state in application_workflow.BEFORE_END]
            self.fire(pick(found, index), application_workflow.WITHDRAW, "Rinuncia")
        self.act(work)

    @rule(index=st.integers(0, 7), month=st.integers(-1, 11))
    def end_early(self, index, month):
        def work(portal):
            found = [a for a in applications(portal) if a.state in (
                application_workflow.ACTIVE, application_workflow.FUNDED)]
            application = pick(found, index)
            context = attestations.context_of(application)
            today = (monthly.parse_month(context.funded[-1]) if context.funded
                     else application_services.today())
            last = context.funded[month % len(context.funded)] if (
                context.funded and month >= 0) else "1999-01"
            service_end.end_early(application, last, "Trasferimento della famiglia",
                                  who="rup-ba01", registry=self.registry, today=today)
        self.act(work)

    # -- budgets ----------------------------------------------------------------------
    @rule(fund=st.sampled_from(FUNDS),
          delta=st.one_of(st.integers(-20000, 20000), st.sampled_from((-10**6, 0))))
    def change_budget(self, fund, delta):
        def work(portal):
            district, call = district_of(portal), at(portal, CALL_PATH)
            current = budgets.by_fund(district, call).get(fund)
            budget = current.budget if current is not None else ZERO
            budgets.set_fund_budget(district, call, fund, budget + Decimal(delta) * 1,
                                    who="regione", reason="Variazione del budget")
        self.act(work)

    # -- invariants -------------------------------------------------------------------
    @invariant()
    def money_holds(self):
        run_in_app(self.app, self.check_ledger)
        self.steps += 1
        if self.steps % PAGES_EVERY == 0:
            self.check_pages()

    def teardown(self):
        self.check_pages()

    def check_ledger(self, portal):
        call = at(portal, CALL_PATH)
        for district in portal["ambiti"].values():
            ledger = ledger_of(district, create=False)
            if ledger is None or not getattr(district, "code", None):
                continue
            assert ledger.consistent()
            scopes = [ledger.totals()]
            for series in ledger.calls():
                scopes.append(ledger.totals(series))
                scopes.extend(ledger.by_fund(series).values())
            scopes.extend(ledger.by_fund().values())
            for figures in scopes:
                assert ZERO <= figures.paid <= figures.committed <= figures.budget, figures
            assert cents(call.budget_for(district.code)) == ledger.totals(call.series).budget
        ledger = ledger_of(district_of(portal))
        for application in applications(portal):
            account = ledger.account(application.uid)
            made = attestations.attestations_of(application)
            paid_shares = sum((t.voucher_share for t in made
                               if t.state == attestation_workflow.PAID), ZERO)
            if account is None:
                assert paid_shares == ZERO
                assert application.state not in application_workflow.HOLDS_FUNDING
                continue
            assert ZERO <= account.paid <= account.committed
            assert account.paid == paid_shares, (application.protocol, account, paid_shares)
            # validated months are payable: their money stays committed, even after an end
            pending = sum((t.voucher_share for t in made
                           if t.state == attestation_workflow.VALIDATED), ZERO)
            assert account.unpaid >= pending, (application.protocol, application.state)

    def ledger_figures(self):
        def read(portal):
            district, call = district_of(portal), at(portal, CALL_PATH)
            ledger = ledger_of(district)
            return (ledger.totals(), ledger.by_fund(call.series), ledger.totals(call.series),
                    {d.code: ledger_of(d).totals() for d in portal["ambiti"].values()
                     if getattr(d, "code", None) and ledger_of(d, create=False) is not None})
        return run_in_app(self.app, read)

    def check_pages(self):
        _overall, by_fund, of_call, by_district = self.ledger_figures()
        names = ("budget", "committed", "paid", "remaining", "unpaid")

        def expect(totals):
            return [getattr(totals, n) for n in names]

        # the ATS's fund dashboard of this call (the demo has a second one): each fund's row
        # and the call's total
        page = lxml.html.fromstring(self.officer.get(DISTRICT + "/@@fondi",
                                                     {"avviso": CALL_CODE}).text)
        table = page.get_element_by_id("tabella-avvisi-fondi")
        rows = {}
        for tr in table.xpath("./tbody/tr"):
            fund = tr.xpath("./td")[0].text_content().split(" — ")[0].strip()
            rows[fund] = [Decimal(td.get("data-value")) for td in tr.xpath("./td[@data-value]")]
        assert rows == {f: expect(t) for f, t in by_fund.items()}
        shown = [Decimal(td.get("data-value")) for td in table.xpath("./tfoot//td[@data-value]")]
        assert shown == (expect(of_call) if by_fund else [])
        # the Region's dashboard: BA-01's row
        page = lxml.html.fromstring(self.region.get("/regione/@@fondi").text)
        found = {}
        for tr in page.xpath("//table[contains(@class,'portal-chart-table')]/tbody/tr"):
            label = tr.xpath("./th")[0].text_content().strip()
            found[label.split(" — ")[0]] = [Decimal(td.get("data-value"))
                                            for td in tr.xpath("./td[@data-value]")]
        for code, totals in by_district.items():
            assert found[code] == expect(totals), code
        # the Region's budget page of the call: BA-01 per fund (euro text)
        page = lxml.html.fromstring(self.region.get(BUDGET_PAGE).text)
        body = page.get_element_by_id("budget-BA-01")
        shown = {tr.get("data-fund"): [decimal_of(td.text_content())
                                       for td in tr.xpath("./td")[2:6]]
                 for tr in body.xpath("./tr[@data-fund]")}
        for fund, totals in by_fund.items():
            assert shown[fund] == [totals.budget, totals.committed, totals.paid,
                                   totals.remaining], fund
        # the ranking preview's live figures
        preview = self.officer.get(RANKING).text
        live = lxml.html.fromstring(preview).get_element_by_id("registro-contabile")
        assert [decimal_of(s.text_content()) for s in live.xpath(".//strong")] == [
            of_call.budget, of_call.committed, of_call.remaining]
        # the spending CSV of the ATS
        text = self.officer.get(DISTRICT + "/@@fondi-spesa.csv").text.lstrip("\ufeff")
        exported = {r["codice_fondo"]: [Decimal(r[k]) for k in (
            "budget_eur", "impegnato_eur", "pagato_eur", "residuo_eur", "da_pagare_eur")]
            for r in csv.DictReader(io.StringIO(text)) if r["codice_avviso"] == CALL_CODE}
        assert exported == {f: expect(t) for f, t in by_fund.items()}


def test_money_holds_over_random_sequences(money_app):
    run_state_machine_as_test(lambda: MoneyMachine(money_app), settings=PROFILE)
