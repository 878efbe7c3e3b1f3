"""The ATS officer validates attestations: queue, re-checks, validate, return, bulk, refusals."""
import re
from datetime import date

from content_types.attestation import Attestation
from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, set_local_roles
from content_types.users import User
from portal.demo import demo_password
from portal.payments.ledger import ledger_of
from tests.functional.applications.conftest import (
    client,
    post,
    run_in_app,
)
from tests.functional.payments.review_fixtures import (
    QUEUE,
    active_application,
    make_sent,
    month_texts,
    resolve,
    sent_attestations,
)


def state_and_review(app, path):
    def work(portal):
        obj = resolve(portal, path)
        return obj.state, obj.review
    return run_in_app(app, work)


def committed(app):
    return run_in_app(app, lambda portal: ledger_of(portal["ambiti"]["ba-01"]).totals().committed)


def version(page):
    return re.search(r'name="_version" value="([^"]+)"', page.text).group(1)


def decide(officer, path, decision, status=303, **extra):
    page = officer.get(path + "/@@valida")
    return post(officer, path + "/@@valida", {"_version": version(page), "decisione": decision,
                                              **extra}, status=status)


def rows(page, under=""):
    """The queue's months, in order; with ``under``, only those of that application."""
    table = page.text.split('id="coda-attestazioni"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'<a href="([^"]+)">[^<]*</a></td>\s*<td>(\d{4}-\d{2})</td>', table)
    assert len(found) == len(re.findall(r"<td>(\d{4}-\d{2})</td>", table))
    prefix = under.rstrip("/") + "/attestazioni/" if under else "/"
    return [month for href, month in found if href.startswith(prefix)]


def count_of(page, state):
    """The queue's count of ``state`` (0 when the state has none)."""
    found = re.search(rf'data-state="{state}"><a href="[^"]*" data-count="(\d+)"', page.text)
    return int(found.group(1)) if found else 0


def queue_uids(page):
    return re.findall(r'name="uid" value="([^"]+)"', page.text)


def test_queue_filters_counts_and_validation(published_app):
    url = active_application(published_app)
    officer = client(published_app, "rup-ba01")
    earlier = officer.get(QUEUE)
    paths = sent_attestations(published_app, url, month_texts(3, 3))
    page = officer.get(QUEUE)
    assert rows(page, url) == month_texts(3, 3)
    assert len(rows(page)) == len(rows(earlier)) + 3
    assert ('data-state="sent"><a href="/ambiti/ba-01/@@attestazioni?stato=sent&amp;pagina=1" '
            f'data-count="{count_of(earlier, "sent") + 3}"') in page.text
    month = month_texts(1, 2)[0]
    in_month = officer.get(QUEUE, {"mese": month})
    assert rows(in_month, url) == month_texts(1, 2)
    assert set(rows(in_month)) == {month}
    assert rows(officer.get(QUEUE, {"ente": "arcobaleno"}), url) == []
    assert rows(officer.get(QUEUE, {"ente": "girasole", "mese": month_texts(1, 3)[0]}), url) == \
        month_texts(1, 3)
    before = committed(published_app)
    decide(officer, paths[0], "valida")
    state, review = state_and_review(published_app, paths[0])
    assert state == "validated"
    assert review["outcome"] == "validata"
    assert review["who"] == "rup-ba01"
    assert committed(published_app) == before  # the month was within the commitment
    page = officer.get(QUEUE)
    assert rows(page, url) == month_texts(2, 2)
    validated = count_of(earlier, "validated") + 1
    assert f'data-count="{validated}">Validata: {validated}' in page.text
    assert rows(officer.get(QUEUE, {"stato": "validated"}), url) == month_texts(1, 3)


def test_return_needs_a_reason(published_app):
    url = active_application(published_app)
    [path] = sent_attestations(published_app, url, month_texts(1, 1))
    officer = client(published_app, "rup-ba01")
    refused = decide(officer, path, "restituisci", status=422, motivo="  ")
    assert "Indicare il motivo per cui l'attestazione è restituita" in refused.text
    assert state_and_review(published_app, path) == ("sent", None)
    decide(officer, path, "restituisci", motivo="Presenze da correggere")
    state, review = state_and_review(published_app, path)
    assert state == "rejected"
    assert review["outcome"] == "restituita"
    assert review["reason"] == "Presenze da correggere"


def test_double_post_and_not_sent(published_app):
    url = active_application(published_app)
    [path] = sent_attestations(published_app, url, month_texts(1, 1))
    officer = client(published_app, "rup-ba01")
    page = officer.get(path + "/@@valida")
    form = {"_version": version(page), "decisione": "valida"}
    post(officer, path + "/@@valida", form)
    again = post(officer, path + "/@@valida", form, status=409)
    assert "non è in attesa di validazione" in again.text
    assert state_and_review(published_app, path)[0] == "validated"

    def draft(portal):
        return make_sent(resolve(portal, url), month_texts(1, 2)[0], published_app.registry,
                         state="signed").__name__
    name = run_in_app(published_app, draft)
    other = path.rsplit("/", 1)[0] + "/" + name
    refused = post(officer, other + "/@@valida", {"_version": "x", "decisione": "valida"},
                   status=(403, 409))
    assert state_and_review(published_app, other)[0] == "signed", refused.status


def test_stale_form_changes_nothing(published_app):
    url = active_application(published_app)
    [path] = sent_attestations(published_app, url, month_texts(1, 1))
    officer = client(published_app, "rup-ba01")
    post(officer, path + "/@@valida", {"_version": "vecchia", "decisione": "valida"},
         status=409)
    assert state_and_review(published_app, path) == ("sent", None)


def tamper(app, path, change):
    def work(portal):
        change(portal, resolve(portal, path))
    run_in_app(app, work)


def refused_with(app, path, text):
    officer = client(app, "rup-ba01")
    before = committed(app)
    page = decide(officer, path, "valida", status=(409, 422))
    assert text in " ".join(page.text.split())
    assert state_and_review(app, path) == ("sent", None)
    assert committed(app) == before


def test_tampered_amounts_are_refused(published_app):
    url = active_application(published_app)
    [path] = sent_attestations(published_app, url, month_texts(1, 1))

    def raise_voucher(portal, attestation):
        attestation.voucher_share += 50
        attestation.invoice_amount = attestation.voucher_share
    tamper(published_app, path, raise_voucher)
    refused_with(published_app, path, "Importo non conforme alle regole dell'avviso: la "
                 "quota del buono registrata")


def test_attendance_above_open_days_and_incomplete_invoice(published_app):
    url = active_application(published_app)
    first, second = sent_attestations(published_app, url, month_texts(2, 2))

    def overattend(portal, attestation):
        attestation.attended_days = attestation.open_days + 1
    tamper(published_app, first, overattend)
    refused_with(published_app, first, "Le presenze (21) superano i giorni di apertura (20)")

    def no_invoice(portal, attestation):
        attestation.invoice_number = ""
    tamper(published_app, second, no_invoice)
    refused_with(published_app, second, "La fattura è incompleta")


def test_second_attestation_of_a_month_is_refused(published_app):
    url = active_application(published_app)
    month = month_texts(1, 1)[0]
    [path] = sent_attestations(published_app, url, [month])

    def force(portal):
        application = resolve(portal, url)
        first = resolve(portal, path)
        twin = Attestation(title="Doppione", creator="girasole")
        for name in ("month", "application_uid", "protocol", "entry_path", "open_days",
                     "attended_days", "absences", "full_time", "tariff", "fee", "family_share",
                     "voucher_share", "invoice_number", "invoice_date", "invoice_amount"):
            setattr(twin, name, getattr(first, name))
        application["attestazioni"].add(month + "-bis", twin, registry=published_app.registry)
    run_in_app(published_app, force)
    refused_with(published_app, path, f"Esiste già un'attestazione per il mese {month}")


def test_future_month_and_outside_the_period(published_app):
    url = active_application(published_app)
    [inside] = sent_attestations(published_app, url, month_texts(1, 3))
    future = month_texts(1, -1)[0]

    def in_future(portal):
        return make_sent(resolve(portal, url), future, published_app.registry,
                         today=date(2100, 1, 1)).__name__
    name = run_in_app(published_app, in_future)
    refused_with(published_app, inside.rsplit("/", 1)[0] + "/" + name,
                 f"Il mese {future} è nel futuro")

    def later_start(portal):
        resolve(portal, url).service_start = date.fromisoformat(month_texts(1, 2)[0] + "-01")
    run_in_app(published_app, later_start)
    refused_with(published_app, inside, f"Il mese {month_texts(1, 3)[0]} è fuori dal periodo "
                 "finanziato")


def test_not_enough_funds_for_a_dearer_month(published_app):
    url = active_application(published_app)
    [path] = sent_attestations(published_app, url, month_texts(1, 1))

    def spend_the_commitment(portal):
        application = resolve(portal, url)
        ledger = ledger_of(portal["ambiti"]["ba-01"])
        account = ledger.account(application.uid)
        ledger.release(application.uid, account.unpaid, who="test", when=application.modified)
        call = account.call
        ledger.set_budget(call, "FSE", ledger.totals(call, "FSE").committed, who="test",
                          when=application.modified)
    run_in_app(published_app, spend_the_commitment)
    refused_with(published_app, path, "Fondi insufficienti")


def add_other_officer(app):
    def setup(portal):
        user = User(title="RUP Ambito TA-01", email="rup-ta01@example.it", creator="admin")
        user.set_password(demo_password("rup-ta01"))
        portal["utenti"].add("rup-ta01", user, registry=app.registry)
        district = portal["ambiti"]["ta-01"]
        set_local_roles(district, "user:rup-ta01", {ATS_OFFICER})
        app.registry.notify(LocalRolesChanged(district))
    run_in_app(app, setup)


def test_an_officer_of_another_ats_sees_and_validates_nothing(published_app):
    url = active_application(published_app)
    paths = sent_attestations(published_app, url, month_texts(2, 2))
    add_other_officer(published_app)
    other = client(published_app, "rup-ta01")
    other.get(QUEUE, status=403)
    assert rows(other.get("/ambiti/ta-01/@@attestazioni")) == []
    other.get(paths[0] + "/@@valida", status=403)
    post(other, paths[0] + "/@@valida", {"_version": "x", "decisione": "valida"}, status=403)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      other.get("/ambiti/ta-01/@@attestazioni").text).group(1)
    uids = run_in_app(published_app, lambda p: [resolve(p, x).uid for x in paths])
    other.post("/ambiti/ta-01/@@attestazioni", [("csrf_token", token)] +
               [("uid", u) for u in uids], status=303)
    assert [state_and_review(published_app, p)[0] for p in paths] == ["sent", "sent"]


def test_bulk_validation_reports_each(published_app):
    url = active_application(published_app)
    officer = client(published_app, "rup-ba01")
    before = queue_uids(officer.get(QUEUE))
    paths = sent_attestations(published_app, url, month_texts(3, 3))

    def overattend(portal, attestation):
        attestation.attended_days = attestation.open_days + 1
    tamper(published_app, paths[1], overattend)
    queue = officer.get(QUEUE)
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
    ours = run_in_app(published_app, lambda p: [resolve(p, x).uid for x in paths])
    assert sorted(queue_uids(queue)) == sorted(before + ours)
    uids = [u for u in queue_uids(queue) if u in ours]
    assert len(uids) == 3
    done = officer.post(QUEUE, [("csrf_token", token)] + [("uid", u) for u in uids],
                        status=303).follow()
    text = " ".join(done.text.split())
    assert "Attestazioni validate: 2." in text
    months = month_texts(3, 3)
    assert "Non validata: " in text
    assert f"{months[1]}: Le presenze (21) superano" in text
    assert [state_and_review(published_app, p)[0] for p in paths] == \
        ["validated", "sent", "validated"]
    assert set(before) <= set(queue_uids(officer.get(QUEUE)))  # only the chosen ones


def test_officer_panel_counts_attestations_to_validate(published_app):
    url = active_application(published_app)
    officer = client(published_app, "rup-ba01")

    def to_validate():
        area = " ".join(officer.get("/@@area-personale").text.split())
        found = re.search(r'<a href="/ambiti/ba-01/@@attestazioni">Attestazioni da validare: '
                          r'<strong class="portal-count">(\d+)</strong></a>', area)
        return int(found.group(1)) if found else 0
    before = to_validate()
    assert before == count_of(officer.get(QUEUE), "sent")
    sent_attestations(published_app, url, month_texts(2, 2))
    area = " ".join(officer.get("/@@area-personale").text.split())
    assert ('<a href="/ambiti/ba-01/@@attestazioni">Attestazioni da validare: '
            f'<strong class="portal-count">{before + 2}</strong></a>') in area
