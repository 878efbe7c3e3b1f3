"""The ledger wired into the application's life: funding, ends, early end, budgets per fund,
rankings reading the ledger, evolve step 13 (through the real app over the applications demo)."""
import re
from datetime import date
from decimal import Decimal

import transaction

from content_types.values import cents, euro, rome_today
from portal import evolve
from portal.evolve import step0013_ledger_from_budgets
from portal.payments.ledger import ledger_of
from portal.payments.rules import funds
from tests.functional.applications.conftest import CALL, client, post, run_in_app
from tests.functional.applications.test_money_after_funding import first_version_published
from tests.functional.applications.test_review_and_ranking import RANKING

BUDGET = "/regione/avvisi/buoni-minori-2026/@@budget"
NAMES = ("domanda-famiglia-rossi", "domanda-famiglia-esposito", "domanda-famiglia-gallo")


def ledger_view(app):
    """(series totals, {name: (state, committed, paid, planned)}, call total, consistent)."""
    def work(portal):
        district = portal["ambiti"]["ba-01"]
        call = portal["regione"]["avvisi"]["buoni-minori-2026"]
        ledger = ledger_of(district)
        apps = {}
        for name, application in district["domande"]["buoni-minori-2026"].items():
            account = ledger.account(application.uid)
            planned = (cents(application.voucher_monthly * int(application.months))
                       if application.voucher_monthly is not None else None)
            apps[name] = (application.state, account.committed if account else Decimal(0),
                          account.paid if account else Decimal(0), planned)
        return (ledger.totals(call.series), apps, Decimal(call.budget_for("BA-01")),
                ledger.consistent())
    return run_in_app(app, work)


def luca_name(url):
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_funding_commits_voucher_times_months(applications_app, codes):
    luca = first_version_published(applications_app, codes)
    totals, apps, call_total, consistent = ledger_view(applications_app)
    funded = {n: a for n, a in apps.items() if a[0] == "funded"}
    assert luca_name(luca) in funded
    assert "domanda-famiglia-gallo" not in funded
    for _state, committed, paid, planned in funded.values():
        assert committed == planned
        assert paid == 0
    assert apps["domanda-famiglia-gallo"][1] == 0  # admitted, not funded: nothing committed
    assert totals.committed == sum(a[3] for a in funded.values())
    assert totals.budget == call_total == Decimal(15000)
    assert consistent

    def references(portal):
        district = portal["ambiti"]["ba-01"]
        series = portal["regione"]["avvisi"]["buoni-minori-2026"].series
        return {m.reference for m in ledger_of(district).movements()
                if m.kind == "commit" and m.call == series}
    assert references_ok(run_in_app(applications_app, references))


def references_ok(found):
    return found == {"Graduatoria versione 1 (Determinazione n. 12/2026)"}


def test_revocation_and_withdrawal_release_the_commitment(published_app):
    luca = published_app.luca
    before, apps, _, _ = ledger_view(published_app)
    rossi = CALL + "/domanda-famiglia-rossi"
    post(client(published_app, "rup-ba01"), rossi + "/@@transizione",
         {"transition": "revoke", "comment": "Requisiti venuti meno"})
    post(client(published_app, "cittadino"), luca + "/@@transizione",
         {"transition": "withdraw"})
    after, now, _, consistent = ledger_view(published_app)
    assert now["domanda-famiglia-rossi"][:2] == ("revoked", 0)
    assert now[luca_name(luca)][:2] == ("withdrawn", 0)
    released = apps["domanda-famiglia-rossi"][1] + apps[luca_name(luca)][1]
    assert after.committed == before.committed - released
    assert after.remaining == before.remaining + released
    assert consistent


def test_activation_sets_the_first_month_and_early_end_releases_the_unspent(
        published_app):
    luca = published_app.luca
    post(client(published_app, "girasole"), luca + "/@@transizione",
         {"transition": "activate"})
    today = rome_today()
    start = run_in_app(published_app,
                       lambda portal: _get(portal, luca).service_start)
    assert start == max(date(today.year, today.month, 1),
                        run_in_app(published_app, _first_of_period))
    officer = client(published_app, "rup-ba01")
    page = officer.get(luca)
    assert "@@chiusura-anticipata" in page.text
    form = officer.get(luca + "/@@chiusura-anticipata")
    month = re.findall(r'<option value="(\d{4}-\d{2})"', form.text)[0]
    # no reason, no confirmation, a month outside the funded ones: refused, nothing changes
    before, apps, _, _ = ledger_view(published_app)
    for params in ({"ultimo_mese": month, "motivo": "", "conferma": "1"},
                   {"ultimo_mese": month, "motivo": "Trasferimento"},
                   {"ultimo_mese": "1999-01", "motivo": "Trasferimento", "conferma": "1"},
                   {"ultimo_mese": "marzo", "motivo": "Trasferimento", "conferma": "1"}):
        refused = post(officer, luca + "/@@chiusura-anticipata", params, status=422)
        assert 'id="errore-modulo"' in refused.text
    assert ledger_view(published_app)[0] == before
    post(officer, luca + "/@@chiusura-anticipata",
         {"ultimo_mese": month, "motivo": "Trasferimento della famiglia", "conferma": "1"})
    after, now, _, consistent = ledger_view(published_app)
    assert now[luca_name(luca)][:3] == ("concluded", 0, 0)  # nothing attested: all released
    assert after.committed == before.committed - apps[luca_name(luca)][1]
    assert consistent
    values = run_in_app(published_app, lambda portal: (
        _get(portal, luca).service_end, _get(portal, luca).workflow_history[-1]["comment"]))
    assert values[0] == month
    assert "rup-ba01" in values[1]
    assert "Trasferimento della famiglia" in values[1]
    # a concluded service cannot be closed again
    assert "@@chiusura-anticipata" not in officer.get(luca).text


def _get(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def _first_of_period(portal):
    start = portal["regione"]["avvisi"]["buoni-minori-2026"].period_start
    return date(start.year, start.month, 1)


def test_budget_per_fund_keeps_the_call_total_in_step(published_app):
    region = client(published_app, "regione")
    post(region, BUDGET, {"ambito": "BA-01", "fondo": "FNPS", "importo": "5.000,00",
                          "motivo": "Quota FNPS 2026"})
    totals, _, call_total, consistent = ledger_view(published_app)
    assert call_total == totals.budget == Decimal(20000)
    by_fund = run_in_app(published_app, lambda portal: ledger_of(
        portal["ambiti"]["ba-01"]).by_fund(portal["regione"]["avvisi"]["buoni-minori-2026"]
                                           .series))
    assert by_fund["FNPS"].budget == Decimal(5000)
    assert by_fund[funds.DEFAULT_FUND].budget == Decimal(15000)
    page = " ".join(region.get(BUDGET).text.split())
    assert euro(Decimal(5000)) in page
    assert "FNPS" in page
    assert euro(totals.remaining) in page
    # below what is committed on the fund: refused, nothing changes
    held = by_fund[funds.DEFAULT_FUND].committed
    refused = post(region, BUDGET, {"ambito": "BA-01", "importo": str(held - 1),
                                    "motivo": "Riduzione"}, status=400)
    assert "Fonte di finanziamento: FSE" in refused.text
    assert ledger_view(published_app)[0] == totals
    assert post(region, BUDGET, {"ambito": "BA-01", "fondo": "XYZ", "importo": "1",
                                 "motivo": "x"}, status=400)
    assert consistent


def test_ranking_newly_funds_exactly_the_ledger_remaining(published_app):
    luca = published_app.luca
    rossi = CALL + "/domanda-famiglia-rossi"
    post(client(published_app, "girasole"), rossi + "/@@transizione",
         {"transition": "activate"})

    def pay_two_months(portal):
        application = _get(portal, rossi)
        ledger_of(portal["ambiti"]["ba-01"]).pay(
            application.uid, application.voucher_monthly * 2, who="rup-ba01",
            when=application.submitted_at, reference="Atto di liquidazione n. 1")
    run_in_app(published_app, pay_two_months)
    post(client(published_app, "rup-ba01"), rossi + "/@@transizione",
         {"transition": "revoke", "comment": "Trasferimento"})
    totals, apps, _, consistent = ledger_view(published_app)
    paid = apps["domanda-famiglia-rossi"][2]
    assert paid > 0
    assert apps["domanda-famiglia-rossi"][1] == paid
    assert consistent
    officer = client(published_app, "rup-ba01")
    preview = " ".join(re.sub(r"<[^>]+>", "", officer.get(RANKING).text).split())
    assert f"disponibile per nuovi finanziamenti {euro(totals.remaining)}" in preview
    v2 = post(officer, RANKING, {"motivo": "Revoca"}).headers["Location"]
    v2 = v2.replace("http://localhost", "").rstrip("/")

    def snapshot(portal):
        ranking = _get(portal, v2).snapshot
        return ranking.available, ranking.ranking()
    available, ranking = run_in_app(published_app, snapshot)
    assert Decimal(available) == totals.remaining
    newly = [line for line in ranking.funded if not line.kept]
    assert ranking.left == totals.remaining - sum(line.candidate.cost for line in newly)
    assert ranking.left >= 0
    gallo_cost = apps["domanda-famiglia-gallo"][3]
    gallo = run_in_app(published_app,
                       lambda portal: _get(portal, CALL + "/domanda-famiglia-gallo").protocol)
    gallo_funded = any(line.protocol == gallo for line in newly)
    assert gallo_funded == (gallo_cost <= totals.remaining)
    post(officer, v2 + "/@@pubblica", {"atto": "Determinazione n. 30/2026"})
    after, now, _, consistent = ledger_view(published_app)
    assert after.remaining == ranking.left
    assert consistent
    assert now[luca_name(luca)][0] == "funded"  # kept its funding


def test_evolve_13_moves_budgets_and_fundings_into_the_ledger(published_app):
    expected, apps, _, _ = ledger_view(published_app)

    def make_it_old(portal):
        for district in portal["ambiti"].values():
            if getattr(district, "ledger", None) is not None:
                del district.ledger
        portal.db_version = 12
    run_in_app(published_app, make_it_old)

    def run(portal):
        # step 13 and every later one
        assert [n for n, _ in evolve.pending(portal)] == list(
            range(13, evolve.latest_version() + 1))
        evolve.run_pending(portal._p_jar.root(), portal, published_app.registry,
                           commit=lambda note: transaction.commit())
        return portal.db_version
    assert run_in_app(published_app, run) == evolve.latest_version()
    assert step0013_ledger_from_budgets.__doc__.strip()
    totals, now, call_total, consistent = ledger_view(published_app)
    assert (totals.budget, totals.committed) == (expected.budget, expected.committed)
    assert totals.budget == call_total
    assert {n: a[1] for n, a in now.items()} == {n: a[1] for n, a in apps.items()}
    assert consistent

    def references(portal):
        district = portal["ambiti"]["ba-01"]
        return ({m.reference for m in ledger_of(district).movements() if m.kind == "commit"},
                {m.fund for m in ledger_of(district).movements() if m.kind == "budget"})
    refs, budget_funds = run_in_app(published_app, references)
    assert refs == {"Ripresa dei dati esistenti"}
    assert budget_funds == {funds.DEFAULT_FUND}
