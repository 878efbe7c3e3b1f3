"""portal-lapse, the real command over a copy of the demo database with two new submissions."""
import html
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import workflows
from portal import main
from portal.applications import lapse_clock
from portal.applications.lapse_job import Calls, waiting_paths
from portal.applications.services import match_last_day
from portal.db import AUDIT_KEY
from tests.functional.applications.conftest import (
    CALL,
    applications_settings,
    client,
    complete_draft,
    run_in_app,
    submit,
)

ROME = ZoneInfo("Europe/Rome")
ROOT = Path(__file__).resolve().parents[3]
MATCHED = ("domanda-famiglia-rossi", "domanda-famiglia-esposito", "domanda-famiglia-gallo")
MATCHED_PATH = CALL.strip("/") + "/" + MATCHED[0]
COMMENT = "Termine per l'abbinamento scaduto il {}: la struttura non ha risposto."


def write_ini(directory, smtp_port):
    settings = applications_settings(directory, smtp_port)
    ini = directory / "lapse.ini"
    ini.write_text(textwrap.dedent("""
        [app:main]
        use = egg:portale-sociale
    """) + "".join(f"{key} = {value}\n" for key, value in settings.items()))
    return ini


def lapse(ini, *args):
    """The command as the console script will run it (not installed yet: ``-m``)."""
    result = subprocess.run(
        [sys.executable, "-m", "portal.scripts.lapse", str(ini), *map(str, args)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def at(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def states(app):
    def read(portal):
        folder = at(portal, CALL)
        return {name: folder[name].state for name in folder}
    return run_in_app(app, read)


@pytest.fixture
def scene(applications_dir, smtp_server, codes):
    """Two submissions by the demo citizen: «old» sent 20 days ago (overdue), «new» today."""
    app = main({}, **applications_settings(applications_dir, smtp_server[0].port))
    citizen = client(app, "cittadino")
    old = complete_draft(citizen, codes["luca"])
    submit(citizen, old)
    new = complete_draft(citizen, codes["sofia"])
    submit(citizen, new)

    def backdate(portal):
        # the web only submits "now": move the first submission 20 days back
        application = at(portal, old)
        application.submitted_at -= timedelta(days=20)
        return application.submitted_at
    sent = run_in_app(app, backdate)
    before = states(app)
    app.registry._zodb_databases[""].close()  # the command needs the database lock
    assert before[old.rsplit("/", 1)[1]] == "submitted"
    assert before[new.rsplit("/", 1)[1]] == "submitted"
    assert all(before[name] == "matched" for name in MATCHED)
    return {"old": old, "new": new, "sent": sent, "before": before,
            "ini": write_ini(applications_dir, smtp_server[0].port), "dir": applications_dir,
            "port": smtp_server[0].port}


def reopen(scene):
    return main({}, **applications_settings(scene["dir"], scene["port"]))


def expected_day(sent, days=15):
    """The last useful day, as the comment and the list show it (dd/mm/yyyy)."""
    return f"{sent.astimezone(ROME).date() + timedelta(days=days):%d/%m/%Y}"


def test_overdue_applications_lapse_once_and_the_family_is_told(scene, inbox):
    old_name, new_name = scene["old"].rsplit("/", 1)[1], scene["new"].rsplit("/", 1)[1]
    day = expected_day(scene["sent"])
    inbox.messages.clear()  # the receipts of the two submissions

    listed = lapse(scene["ini"], "--elenco")
    assert listed.returncode == 0, listed.stderr
    assert "decadrebbe: Ambito BA-01, protocollo" in listed.stdout
    assert f"ultimo giorno utile {day}, {scene['old']}" in listed.stdout
    assert scene["new"] not in listed.stdout
    assert "Domande che decadrebbero: 1" in listed.stdout
    assert "Ambito BA-01: 1" in listed.stdout
    app = reopen(scene)
    assert states(app) == scene["before"]  # --elenco changed nothing
    app.registry._zodb_databases[""].close()

    done = lapse(scene["ini"])
    assert done.returncode == 0, done.stderr
    assert "Domande inviate in attesa di abbinamento esaminate: 2" in done.stdout
    assert "Domande decadute: 1." in done.stdout
    assert "Ambito BA-01: 1" in done.stdout
    app = reopen(scene)
    after = states(app)
    assert after[old_name] == "lapsed"
    assert after[new_name] == "submitted"
    assert all(after[name] == "matched" for name in MATCHED)

    def read(portal):
        application = at(portal, scene["old"])
        audit = portal._p_jar.root()[AUDIT_KEY].for_object(application.uid)
        return (workflows.history(application)[-1], application.protocol, application.email,
                [entry["action"] for entry in audit], dict(application.__dict__))
    entry, protocol, email, actions, snapshot = run_in_app(app, read)
    assert entry["transition"] == "lapse"
    assert entry["who"] is None
    assert entry["comment"] == COMMENT.format(day)
    assert "decadenza domanda" in actions
    # the family sees the state, what it means and why
    page = client(app, "cittadino").get(scene["old"])
    text = html.unescape(page.text)
    assert re.search(r'id="stato"[^>]*>\s*Decaduta\s*<', text), text[:3000]
    assert "La domanda è decaduta per mancato abbinamento con la struttura." in text
    assert COMMENT.format(day) in text
    # the provider may no longer match the lapsed one (the waiting one still offers it)
    provider = client(app, "girasole")
    assert "@@abbinamento" in provider.get(scene["new"]).text
    assert "@@abbinamento" not in provider.get(scene["old"]).text
    app.registry._zodb_databases[""].close()
    # the e-mail left after the commit
    mails = [m for m in inbox.messages if protocol in m.content.decode()]
    assert len(mails) == 1
    assert mails[0].rcpt_tos == [email]
    assert f"Domanda {protocol} decaduta" in mails[0].content.decode()

    again = lapse(scene["ini"])
    assert again.returncode == 0, again.stderr
    assert "Nessuna domanda decaduta." in again.stdout
    app = reopen(scene)
    assert states(app) == after
    assert run_in_app(app, read)[4]["workflow_history"] == snapshot["workflow_history"]
    app.registry._zodb_databases[""].close()
    assert len([m for m in inbox.messages if protocol in m.content.decode()]) == 1


def test_ora_fixes_now_for_a_missed_night(scene):
    new_name = scene["new"].rsplit("/", 1)[1]
    sent_new = datetime.now(UTC)
    # before the new one's term ends: only the old one
    first = lapse(scene["ini"], "--elenco", "--ora", sent_new.isoformat())
    assert "Domande che decadrebbero: 1" in first.stdout
    # a naive time is Italian time; 16 days on, the new one is overdue too
    later = (sent_new + timedelta(days=16)).astimezone(ROME).replace(tzinfo=None)
    second = lapse(scene["ini"], "--ora", later.isoformat(timespec="minutes"), "--lotto", "1")
    assert second.returncode == 0, second.stderr
    assert "Domande decadute: 2." in second.stdout
    app = reopen(scene)
    assert states(app)[new_name] == "lapsed"
    app.registry._zodb_databases[""].close()


def test_bad_arguments_are_italian_errors(scene, tmp_path):
    bad = lapse(scene["ini"], "--ora", "domani")
    assert bad.returncode == 1
    assert "Errore: data e ora non valide per --ora" in bad.stderr
    missing = lapse(tmp_path / "nessuno.ini")
    assert missing.returncode == 1
    assert "file di configurazione non trovato" in missing.stderr


def test_the_command_finds_applications_and_calls_through_the_catalog(applications_app):
    def read(portal):
        matched = at(portal, f"{CALL}/{MATCHED[0]}")
        matched_state = matched.state
        calls = Calls(portal, applications_app.registry)
        by_uid = calls.path_of(matched.call_uid)
        matched.call_uid = "non-esiste"  # an unknown version: the folder's call is used
        fallback = calls.of(matched).__name__
        return (waiting_paths(portal, applications_app.registry), by_uid, matched_state,
                fallback)
    waiting, call_path, matched_state, fallback = run_in_app(applications_app, read)
    assert matched_state == "matched"
    assert waiting == []
    assert call_path == "/regione/avvisi/buoni-minori-2026"
    assert fallback == "buoni-minori-2026"


def test_the_running_server_lapses_them_in_its_own_thread(scene, inbox):
    """portal-serve's clock: the same pass inside the server (FileStorage allows one process)."""
    old_name, new_name = scene["old"].rsplit("/", 1)[1], scene["new"].rsplit("/", 1)[1]
    app = reopen(scene)
    inbox.messages.clear()
    clock = lapse_clock.start(app.registry, minutes=60, first_delay=0)
    try:
        assert clock.passed.wait(60), "the clock made no pass"
    finally:
        clock.stop.set()
    after = states(app)
    assert after[old_name] == "lapsed"
    assert after[new_name] == "submitted"
    assert all(after[name] == "matched" for name in MATCHED)
    assert lapse_clock.run_once(app.registry).lapsed == {}  # nothing left to do
    assert any("decaduta" in m.content.decode() for m in inbox.messages)
    app.registry._zodb_databases[""].close()


@pytest.mark.parametrize(("raw", "minutes"), [(None, 60), ("0", 0), ("15", 15), ("2.5", 2.5)])
def test_clock_interval_setting(raw, minutes):
    settings = {} if raw is None else {"portal.lapse_interval_minutes": raw}
    assert lapse_clock.interval_minutes(settings) == minutes


@pytest.mark.parametrize("raw", ["ogni ora", "-5", ""])
def test_clock_interval_setting_refuses_bad_values(raw):
    with pytest.raises(ValueError, match=r"portal\.lapse_interval_minutes non valido"):
        lapse_clock.interval_minutes({"portal.lapse_interval_minutes": raw})


def test_pages_show_the_matching_deadline(scene):
    app = reopen(scene)

    def sent(portal):
        return at(portal, scene["new"]).submitted_at
    day = expected_day(run_in_app(app, sent))
    citizen = client(app, "cittadino")
    page = citizen.get(scene["new"])
    assert (f"La struttura deve confermare l'abbinamento entro il <strong>{day}</strong> "
            "(ora italiana)") in page.text

    def matched_deadline(portal):
        return match_last_day(at(portal, MATCHED_PATH))
    assert run_in_app(app, matched_deadline) == ""  # matched: no deadline any more
    provider = client(app, "girasole")
    assert day in provider.get(scene["new"] + "/@@abbinamento").text
    assert f"<td>{day}</td>" in provider.get("/catalogo/girasole/@@abbinamenti").text
    assert "15 giorni dall'invio" in citizen.get(CALL).text
    app.registry._zodb_databases[""].close()
