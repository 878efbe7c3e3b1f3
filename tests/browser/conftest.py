"""Browser fixtures: the real portal served by waitress, driven by Debian's Chromium."""
import contextlib
import functools
import os
import shutil
import socket
import threading

import pytest
from playwright.sync_api import sync_playwright
from waitress import wasyncore
from waitress.server import create_server

from portal import main
from tests.conftest import make_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_in_thread(app):
    """Serve ``app`` with waitress on a free loopback port; yield its base URL.

    The loop runs in short slices and stops before the sockets are closed: closing them
    under a running ``select`` raised EBADF in the server thread at teardown.
    """
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=2)
    stopping = threading.Event()

    def run():
        while not stopping.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(map=server._map)  # the listener and every open channel
        app.registry._zodb_databases[""].close()


@pytest.fixture
def live_server(app_dir):
    """Use for browser tests of the plain portal: its base URL on a free loopback port, own database."""
    with serve_in_thread(main({}, **make_settings(app_dir))) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Use through ``page``: headless Chromium for one module (Debian's package, never downloaded).

    Module scope: Playwright keeps an asyncio loop running while it is alive, and
    code under test elsewhere (pyHanko) calls asyncio.run in the main thread.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium non trovato: eseguire «make test» che lo installa (apt).")

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """Use in every browser test: a fresh context and page that collects console errors and CSP violations."""
    context = browser.new_context(locale="it-IT")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


# -- accessibility: axe-core (static/node_modules, installed by static/build.sh) --------------
AXE_JS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "static", "node_modules", "axe-core", "axe.min.js")
WCAG21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
_AXE_RUN = """async (tags) => {
    if (typeof axe === "undefined") { return null; }
    // folded content is part of the page: check it unfolded
    for (const details of document.querySelectorAll("details:not([open])")) { details.open = true; }
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                             resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "),
                                  summary: (n.failureSummary || "").split("\\n").slice(1)
                                           .join(" ").trim()}))}));
}"""


@functools.cache
def axe_source():
    """The axe-core script, read once per run (a test tool: never copied into static/vendor)."""
    if not os.path.exists(AXE_JS):
        pytest.fail(f"axe-core non trovato ({AXE_JS}): eseguire «bash static/build.sh».")
    with open(AXE_JS, encoding="utf-8") as source:
        return source.read()


def axe_context(browser, **options):
    """Use for pages given to ``assert_accessible``: a context with axe-core in every document.

    ``add_init_script`` goes through the DevTools protocol, outside the page's CSP, so the
    portal's real policy (script-src 'self', which blocks ``add_script_tag``'s inline script)
    stays in force: no ``bypass_csp``.
    """
    context = browser.new_context(**{"locale": "it-IT", **options})
    context.add_init_script(script=axe_source())
    return context


def assert_accessible(page, context_label):
    """Fail with every WCAG 2.1 A/AA violation axe-core finds on ``page`` (rule, impact, where).

    Opens every ``<details>`` first, so folded histories and actions are checked too.
    """
    violations = page.evaluate(_AXE_RUN, list(WCAG21_AA))
    if violations is None:
        pytest.fail(f"{context_label}: axe-core non caricato (pagina fuori da axe_context?)")
    if violations:
        lines = [f"{context_label} ({page.url}): {len(violations)} violazioni WCAG 2.1 A/AA"]
        for violation in violations:
            lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}")
            lines.extend(f"    {node['target']}: {node['summary']}"
                         for node in violation["nodes"][:8])
            if len(violation["nodes"]) > 8:
                lines.append(f"    ... e altri {len(violation['nodes']) - 8} elementi")
        pytest.fail("\n".join(lines), pytrace=False)
