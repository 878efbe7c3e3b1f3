"""One place turns errors into HTTP: every error class answers its declared status, in Italian.

The app is the real one over a FileStorage copy, with test-only views (``error_probe``)
included through ``portal.includes``: they raise each class, or make every attempt of a
write conflict with a concurrent commit so that pyramid_retry's attempts run out.
"""
import html
import importlib
import inspect
import logging
import pkgutil
import re

import pytest
import webtest
from pyramid.i18n import make_localizer
from pyramid.interfaces import ITranslationDirectories

from content_types.errors import ErrorBase
from portal import main
from tests.conftest import make_settings
from tests.functional import error_probe

PACKAGES = ("content_types", "workflows", "catalog", "portal")
#: a few words any Italian sentence of ours uses; an English code or message has none
ITALIAN = re.compile(r"\b(non|il|la|le|lo|di|del|della|è|un|una|per|da|in|operazione|"
                     r"riprovare|nessun[oa]?|dati|richiesta)\b", re.IGNORECASE)


def error_classes():
    """Every exception class defined in our packages, walked through all their modules."""
    found = {}
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (inspect.isclass(obj) and issubclass(obj, BaseException)
                        and obj.__module__.split(".")[0] in PACKAGES):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return dict(sorted(found.items()))


CLASSES = error_classes()


@pytest.fixture
def probe_app(app_dir):
    """The real portal over the test's FileStorage copy, with the probe views included."""
    app = main({}, **make_settings(app_dir), **{"portal.includes": "tests.functional.error_probe"})
    yield app
    app.registry._zodb_databases[""].close()


@pytest.fixture
def client(probe_app):
    return webtest.TestApp(probe_app)


def localizer(app, locale="it"):
    return make_localizer(locale, app.registry.getUtility(ITranslationDirectories))


def test_the_walk_finds_the_roots_of_every_package():
    roots = {"content_types.errors.ContentError", "workflows.errors.WorkflowError",
             "catalog.errors.CatalogError", "portal.errors.PortalError",
             "portal.applications.rules.errors.BenefitError", "portal.documents.errors.DocumentError",
             "portal.security.login.LoginError"}
    assert roots <= set(CLASSES)


@pytest.mark.parametrize("dotted", list(CLASSES))
def test_every_error_class_shares_the_base_shape(dotted):
    cls = CLASSES[dotted]
    assert issubclass(cls, ErrorBase), f"{dotted} does not derive from ErrorBase"
    assert isinstance(cls.http_status, int)
    assert 400 <= cls.http_status < 600
    assert re.fullmatch(r"[a-z][a-z0-9_]*", cls.code)


def _check_html(response, cls, message):
    assert response.status_int == cls.http_status
    assert response.content_type == "text/html"
    assert message in html.unescape(response.text)
    assert '<html lang="' in response.text  # the portal's layout, not a bare body


def _check_json(response, cls, message):
    assert response.status_int == cls.http_status
    assert response.content_type == "application/json"
    body = response.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == cls.code
    assert body["error"]["message"] == message
    assert isinstance(body["error"]["fields"], dict)


@pytest.mark.parametrize("dotted", list(CLASSES))
def test_every_error_answers_its_declared_status_in_italian(probe_app, client, dotted):
    """HTML for pages, the JSON shape for /api; the message goes through the localizer."""
    cls = CLASSES[dotted]
    translate = localizer(probe_app).translate
    mapped = f"Prova {cls.__name__}: messaggio da tradurre."  # ${classe} interpolated
    for path, check in (("/@@prova-errore", _check_html), ("/api/prova-errore", _check_json)):
        response = client.get(path, {"classe": dotted}, status="*")
        check(response, cls, mapped)
        assert "${classe}" not in response.text
        response = client.get(path, {"classe": dotted, "messaggio": "predefinito"}, status="*")
        default = translate(cls.default_message)
        assert default, cls
        assert default != cls.code, default
        assert ITALIAN.search(default), default
        check(response, cls, default)
        if cls.retry_after is not None:
            assert int(response.headers["Retry-After"]) == cls.retry_after
        # the answer speaks the request's language: the localizer translated the message
        response = client.get(path, {"classe": dotted, "messaggio": "tradotto", "_LOCALE_": "en"},
                              status="*")
        check(response, cls, localizer(probe_app, "en").translate(error_probe.TRANSLATED))


@pytest.mark.parametrize(("path", "is_api"), [("/@@prova-conflitto", False),
                                              ("/api/prova-conflitto", True)])
def test_conflicts_after_the_last_retry_answer_503_with_retry_after(
        probe_app, client, caplog, path, is_api):
    """A real ZODB ConflictError at commit on every attempt: retried, then 503, logged."""
    attempts = int(probe_app.registry.settings["retry.attempts"])
    assert attempts > 1
    with caplog.at_level(logging.WARNING):
        response = client.post(path, status="*")
    assert probe_app.registry.conflict_attempts == attempts  # every attempt was replayed
    assert response.status_int == 503
    assert int(response.headers["Retry-After"]) > 0
    if is_api:
        error = response.json["error"]
        assert error["code"] == "conflict_retry"
        assert ITALIAN.search(error["message"])
    else:
        assert response.content_type == "text/html"
        assert "nessuna modifica è stata salvata" in html.unescape(response.text)
    warnings = [r for r in caplog.records if r.name == "portal.web.errors"]
    assert [r.levelno for r in warnings] == [logging.WARNING]  # once, on the last attempt
    assert path in warnings[0].getMessage()
    assert "ConflictError" in warnings[0].getMessage()
    # only the concurrent writer's commit is stored: the refused request wrote nothing
    connection = probe_app.registry._zodb_databases[""].open()
    try:
        assert connection.root()["portal"].conflict_probe == -attempts
    finally:
        connection.close()


def test_a_genuine_bug_is_still_a_logged_500(probe_app, client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/@@prova-errore", {"classe": "builtins.ZeroDivisionError"},
                              status="*")
    assert response.status_int == 500
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)
    body = client.get("/api/prova-errore", {"classe": "builtins.ZeroDivisionError"},
                      status="*").json
    assert body["error"]["code"] == "internal_error"


@pytest.mark.parametrize(("case", "italian", "english"), [
    ("nome", "Il nome supera i 100 caratteri.", "The name is longer than 100 characters."),
    ("allegato",
     ("L'allegato «foto.gif» non è stato accettato: Il file non è un PDF (il contenuto non "
     "corrisponde al formato PDF, qualunque sia la sua estensione)."),
     ("The attachment «foto.gif» was not accepted: The file is not a PDF (its content is not in "
     "PDF format, whatever its extension).")),
])
def test_domain_errors_render_their_values_in_pages_and_json(probe_app, client, case, italian,
                                                             english):
    """A domain refusal (a msgid with ``mapping``, nested for the attachment) reaches the page
    and the JSON with its values filled in, in Italian, or translated inside out."""
    for locale, text in (("it", italian), ("en", english)):
        params = {"caso": case, "_LOCALE_": locale}
        page = client.get("/@@prova-dominio", params, status="*")
        assert page.status_int >= 400
        assert text in html.unescape(page.text)
        answer = client.get("/api/prova-dominio", params, status="*")
        body = answer.json
        assert answer.status_int == page.status_int
        assert body["error"]["message"] == text
        assert "${" not in page.text
        assert "${" not in str(body)
