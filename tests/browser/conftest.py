"""Browser fixtures: the real portal served by waitress, driven by Debian's Chromium."""
import contextlib
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
