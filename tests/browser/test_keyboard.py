"""Issue 13 in headless Chromium: the citizen's application with the keyboard only.

After the first ``page.goto`` (the login page) the test only presses Tab, Shift+Tab,
Space, Enter and arrow keys, and types text into the field that has the focus. On
every step it checks that each checkbox (and radio) is drawn, and that every field,
checkbox and button of the form shows a different outline or shadow when it has the
focus than when it has not.
"""
import pytest

from portal import main
from portal.demo import demo_password
from portal.demo.applications import people
from tests.browser.conftest import serve_in_thread

# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: F401
    applications_database,
    applications_dir,
    applications_settings,
    smtp_server,
)

pytestmark = pytest.mark.browser
NIDO = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"

#: what the focused element is, as the assertions need it
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '', id: e.id,
          type: e.getAttribute('type') || '', text: (e.innerText || '').trim(),
          value: e.value === undefined ? null : e.value, checked: !!e.checked,
          inForm: !!e.closest('#form-portale')};
}"""
#: the element whose look shows the focus: the label Bootstrap Italia draws a box on, or itself
FOCUS_LOOK = """(id) => {
  const e = document.getElementById(id);
  const boxed = e.type === 'checkbox' || e.type === 'radio';
  const target = boxed ? document.querySelector('label[for="' + id + '"]') : e;
  const s = getComputedStyle(target);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
}"""
#: every focusable control of the form, with its unfocused look (read before any gets focus)
BASELINE = """(look) => {
  const f = new Function('return ' + look)();
  const out = {};
  document.querySelectorAll('#form-portale input:not([type=hidden]), #form-portale select, '
                            + '#form-portale button, #form-portale textarea')
    .forEach(e => { if (e.id) out[e.id] = f(e.id); });
  return out;
}"""
#: is each checkbox/radio drawn? (the input itself, or Bootstrap Italia's pseudo-elements)
DRAWN = """() => Array.from(document.querySelectorAll('input[type=checkbox], input[type=radio]'))
  .map(input => {
    const label = document.querySelector('label[for="' + input.id + '"]');
    const box = input.getBoundingClientRect();
    const own = parseFloat(getComputedStyle(input).opacity) > 0 && box.width > 0 && box.height > 0;
    const pseudo = label ? ['::before', '::after'].map(p => getComputedStyle(label, p)).some(
      s => s.content !== 'none' && parseFloat(s.width) > 0 && parseFloat(s.height) > 0
           && s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0
           && s.borderTopColor !== 'rgba(0, 0, 0, 0)') : false;
    const area = label ? label.getBoundingClientRect() : {width: 0, height: 0};
    return {id: input.id, own: own, pseudo: pseudo, label: !!label,
            labelArea: area.width * area.height,
            inputFirst: !!label && input.nextElementSibling === label};
  })"""


@pytest.fixture
def applications_server(applications_dir, smtp_server):  # noqa: F811
    """The portal with the applications demo, on a free loopback port."""
    app = main({}, **applications_settings(applications_dir, smtp_server[0].port))
    with serve_in_thread(app) as base:
        yield base


class Keyboard:
    """Tab through a page, checking the focus look of each form control it reaches."""

    def __init__(self, page):
        self.page = page
        self.baseline = {}
        self.seen = set()

    def arrived(self):
        """A new page: its controls' unfocused look, and its checkboxes drawn."""
        self.page.wait_for_load_state()
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.baseline = self.page.evaluate(BASELINE, FOCUS_LOOK)
        for box in self.page.evaluate(DRAWN):
            assert box["label"], box
            assert box["labelArea"] > 0, box
            assert box["own"] or box["pseudo"], f"casella invisibile: {box}"
            assert box["inputFirst"], f"l'etichetta precede la casella: {box}"

    def focused(self):
        return self.page.evaluate(FOCUSED)

    def check_focus_look(self, element):
        if element and element["inForm"] and element["id"] in self.baseline:
            look = self.page.evaluate(FOCUS_LOOK, element["id"])
            assert look != self.baseline[element["id"]], (
                f"il focus non si vede su {element['id']} ({element['name']}): {look}")
            self.seen.add(element["name"] or element["id"])

    def tab_to(self, wanted, back=False, limit=150):
        """Press Tab (or Shift+Tab) until ``wanted(focused element)``; return that element."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            element = self.focused()
            self.check_focus_look(element)
            if element and wanted(element):
                return element
        raise AssertionError("elemento non raggiunto con il tasto Tab")

    def to_field(self, name):
        return self.tab_to(lambda e: e["name"] == name)

    def to_button(self, text):
        return self.tab_to(lambda e: e["tag"] in ("button", "a") and e["text"] == text)

    def press_to_navigate(self, key="Enter"):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.arrived()

    def choose(self, name, value, limit=60):
        """Arrow down a focused <select> until it holds ``value``."""
        for _ in range(limit):
            if self.focused()["value"] == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name}: valore {value} non trovato")


def text(page):
    return " ".join(page.inner_text("main").split())


def test_citizen_applies_from_the_catalogue_with_the_keyboard_only(applications_server, page):
    base = applications_server
    luca = people()["luca"]
    keys = Keyboard(page)

    # the only goto: the login page, back to the nursery's page afterwards
    page.goto(f"{base}/@@accedi?came_from={NIDO}")
    keys.arrived()
    keys.to_field("login")
    page.keyboard.type("cittadino")
    keys.to_field("password")
    page.keyboard.type(demo_password("cittadino"))
    keys.press_to_navigate("Enter")
    assert page.url.rstrip("/").endswith(NIDO)

    # from the catalogue entry to the draft, the entry chosen
    keys.to_button("Richiedi il buono per questo servizio")
    keys.press_to_navigate("Enter")
    assert "Richiedente e beneficiario" in text(page)
    assert page.input_value("input[name=applicant_name]") == "Marco Conte"
    assert page.input_value("input[name=email]") == "cittadino@example.it"
    keys.to_field("beneficiary_name")
    page.keyboard.type("Luca Conte")
    keys.to_field("beneficiary_fiscal_code")
    page.keyboard.type(luca)
    keys.to_field("residence_municipality")
    keys.choose("residence_municipality", "072006")
    keys.to_button("Salva e continua")
    keys.press_to_navigate("Enter")

    # the service: already chosen; the full-time box toggled with Space and back
    assert "Servizio scelto" in text(page)
    assert page.input_value("select[name=catalogue_entry_path]") == NIDO
    box = keys.to_field("full_time")
    assert box["checked"]
    page.keyboard.press("Space")
    assert not keys.focused()["checked"]
    page.keyboard.press("Space")
    assert keys.focused()["checked"]
    keys.to_field("months")
    page.keyboard.type("10")
    keys.to_button("Salva e continua")
    keys.press_to_navigate("Enter")

    # priorities: every box reached, one ticked with Space
    assert "ISEE minorenni € 12.450,00" in text(page)
    for name in ("disability_certified", "priority_continuity", "priority_siblings"):
        keys.to_field(name)
        if name == "priority_continuity":
            page.keyboard.press("Space")
            assert keys.focused()["checked"]
    # back to the first box with Shift+Tab: still unticked, focus still visible
    assert not keys.tab_to(lambda e: e["name"] == "disability_certified", back=True)["checked"]
    keys.to_button("Salva e continua")
    keys.press_to_navigate("Enter")

    # attachments (none required), then the summary and the submission
    assert "Allegati" in text(page)
    keys.to_button("Continua al riepilogo")
    keys.press_to_navigate("Enter")
    summary = text(page)
    assert "Buono mensile" in summary
    assert "Nido Il Girasole" in summary
    keys.to_button("Invia la domanda")
    keys.press_to_navigate("Enter")
    assert "Domanda inviata: protocollo" in text(page)

    # every control of the form was reached and showed its focus
    assert {"login", "password", "beneficiary_name", "beneficiary_fiscal_code",
            "residence_municipality", "full_time", "months", "disability_certified",
            "priority_continuity", "priority_siblings", "salva"} <= keys.seen, keys.seen
    assert not page.console_errors, page.console_errors
