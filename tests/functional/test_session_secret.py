"""Without a configured secret the portal makes one, private, and keeps it across restarts."""
import stat

import webtest

from portal import main
from tests.conftest import login, make_settings


def settings_without_secret(directory, secret_file):
    settings = make_settings(directory)
    del settings["portal.session_secret"]
    settings["portal.session_secret_file"] = str(secret_file)
    return settings


def test_the_generated_secret_is_private_and_sessions_survive_a_restart(
        app_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SESSION_SECRET", raising=False)
    secret_file = tmp_path / "var" / "segreti" / "session_secret"
    first = main({}, **settings_without_secret(app_dir, secret_file))
    try:
        browser = login(webtest.TestApp(first), "admin")
        assert browser.get("/api/sessione").json["user"]["login"] == "admin"
    finally:
        first.registry._zodb_databases[""].close()
    secret = secret_file.read_text()
    assert len(secret) >= 48
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    second = main({}, **settings_without_secret(app_dir, secret_file))
    try:
        assert secret_file.read_text() == secret
        browser.app = second
        assert browser.get("/api/sessione").json["user"]["login"] == "admin"
    finally:
        second.registry._zodb_databases[""].close()


def test_the_environment_secret_is_used_when_the_settings_have_none(
        app_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SESSION_SECRET", "segreto-da-ambiente-0123456789-abcdefghij")
    secret_file = tmp_path / "mai-creato"
    app = main({}, **settings_without_secret(app_dir, secret_file))
    try:
        assert login(webtest.TestApp(app), "admin").get("/api/sessione").json["user"]
    finally:
        app.registry._zodb_databases[""].close()
    assert not secret_file.exists()
