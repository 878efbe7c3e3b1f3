"""The demo reaches the monthly cycle: every role finds it from its pages, the money adds up."""
import re
from decimal import Decimal

import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from content_types.values import euro, rome_today
from portal.applications import services
from portal.demo import add_demo_data, cycle
from portal.demo.applications import months_before
from portal.payments.attestations import attestations_of
from portal.payments.ledger import ledger_of
from portal.payments.rules.monthly import month_key
from tests.conftest import login

CALL = "/regione/avvisi/" + cycle.CALL_CODE
RANKING = "/ambiti/ba-01/graduatorie/" + cycle.CALL_CODE + "/1"


def words(page):
    return re.sub(r"\s+", " ", page.text)


def in_portal(app, work):
    env = prepare(registry=app.registry)
    try:
        with env["request"].tm:
            return work(get_connection(env["request"]).root()["portal"])
    finally:
        env["closer"]()


def figures(portal):
    district = portal["ambiti"]["ba-01"]
    call = portal["regione"]["avvisi"][cycle.CALL_CODE]
    ledger = ledger_of(district)
    states = {}
    for application in services.applications(district, cycle.CALL_CODE):
        states[application.protocol] = (application.state, tuple(
            (a.month, a.state) for a in attestations_of(application)))
    paid = sum((a.voucher_share for ap in services.applications(district, cycle.CALL_CODE)
                for a in attestations_of(ap) if a.state == "paid"), Decimal(0))
    acts = list(district["liquidazioni"].values())
    return {"by_fund": {f: (t.budget, t.committed, t.paid)
                        for f, t in ledger.by_fund(call.series).items()},
            "consistent": ledger.consistent(), "states": states, "paid": paid,
            "acts": [(a.protocol, a.total, bool(a.document_id)) for a in acts],
            "movements": len(ledger.movements()),
            "protocol": district["domande"].protocol_counters.last(rome_today().year)}


def test_the_closed_call_is_ranked_funded_started_and_paid_in_part(wsgi_app):
    found = in_portal(wsgi_app, figures)
    assert found["consistent"]
    months = [month_key(months_before(rome_today(), n)) for n in (3, 2, 1, 0)]
    ferri, lopez, russo = sorted(found["states"].values(), key=lambda s: -len(s[1]))
    assert ferri == ("active", tuple(zip(months, ("paid", "paid", "validated", "draft"),
                                         strict=True)))
    assert lopez == ("active", tuple(zip(months[:3], ("paid", "sent", "signed"), strict=True)))
    assert russo == ("admitted_unfunded", ())
    # the funds split as the Region set them; two vouchers committed, the paid months paid
    assert {f: budget for f, (budget, _, _) in found["by_fund"].items()} == {
        "FSE": Decimal("7000.00"), "FNPS": Decimal("3500.00")}
    committed = sum(c for _, c, _ in found["by_fund"].values())
    assert committed == Decimal("4845.00") + Decimal("4545.00")
    assert sum(p for _, _, p in found["by_fund"].values()) == found["paid"] > 0
    ((protocol, total, signed),) = found["acts"]
    assert total == found["paid"]
    assert signed
    assert re.fullmatch(r"\d{4}/\d{7}", protocol)


def test_building_the_demo_again_changes_nothing(wsgi_app):
    before = in_portal(wsgi_app, figures)
    in_portal(wsgi_app, lambda portal: add_demo_data(portal, wsgi_app.registry))
    assert in_portal(wsgi_app, figures) == before


def test_each_role_reaches_the_cycle_from_its_pages(testapp):
    assert "Graduatoria" in testapp.get(RANKING).text  # published: public
    pdf = testapp.get(RANKING + "/@@pdf")
    assert pdf.content_type == "application/pdf"
    assert b"/ByteRange" in pdf.body
    public = words(testapp.get(RANKING))
    assert cycle.FAMILY_NAME not in public
    assert "Matteo Ferri" not in public
    login(testapp, cycle.FAMILY_LOGIN)
    area = words(testapp.get("/@@area-personale"))
    assert re.search(r"Attestazioni da confermare: <strong[^>]*>1</strong>", area)
    listed = words(testapp.get("/@@attestazioni-da-confermare"))
    assert month_key(months_before(rome_today(), 0)) in listed
    officer = login(webtest.TestApp(testapp.app), "rup-ba01")
    funds = words(officer.get("/ambiti/ba-01/@@fondi"))
    assert "FSE" in funds
    assert "FNPS" in funds
    assert "€ 9.390,00" in funds  # committed


def test_the_family_reads_its_voucher_in_the_ledger(testapp):
    """The application page shows committed, paid and still to pay as the ledger holds them."""
    def account(portal):
        folder = portal["ambiti"]["ba-01"]["domande"][cycle.CALL_CODE]
        application = folder["domanda-" + cycle.FAMILY_LOGIN]
        held = ledger_of(portal["ambiti"]["ba-01"]).account(application.uid)
        return "/ambiti/ba-01/domande/" + cycle.CALL_CODE + "/" + application.__name__, held
    path, held = in_portal(testapp.app, account)
    assert held.paid > 0
    login(testapp, cycle.FAMILY_LOGIN)
    page = testapp.get(path).text
    for element, value in (("buono-impegnato", held.committed), ("buono-pagato", held.paid),
                           ("buono-da-pagare", held.unpaid)):
        shown = re.search(rf'id="{element}">([^<]+)<', page).group(1)
        assert shown == euro(value), element
