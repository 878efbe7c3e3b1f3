"""No personal data on public pages: an anonymous crawl of the demo, a published ranking included.

Everything an anonymous visitor reaches from ``/`` by same-site links (query links too),
plus the open data, the map, the JSON API of each page, searches for the demo people
and the published ranking with its signed PDF. No page may hold a personal codice
fiscale, a known demo person's code or ISEE amount, or a legal representative.
"""
import io
import re
from collections import deque
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import openpyxl
import pytest
from pypdf import PdfReader
from stdnum.it import codicefiscale

from portal import demo
from portal.demo import providers as demo_catalogue
from portal.demo.applications import SUBMITTED, isee_rows, people
from portal.web.display import format_value
from tests.functional.applications.conftest import client, post
from tests.functional.applications.test_review_and_ranking import QUEUE, RANKING, uids

LIMIT = 2000
SEARCH_LIMIT = 400  # facet and sort combinations of the same results, after the seeds
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])")
HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]*)""", re.IGNORECASE)
SKIP = ("/static/", "/@@esci", "/_debug")


def personal_codes():
    """Every natural person's codice fiscale in the demo data."""
    codes = {c for *_, c in demo.USERS if c}
    codes |= {p["legal_representative_cf"] for p in demo_catalogue.PROVIDERS.values()}
    codes |= set(people().values())
    codes |= {row[2] for row in SUBMITTED}
    return codes


def isee_amounts():
    """The demo ISEE values as a page or a file would print them."""
    amounts = set()
    for _code, _protocol, _kind, value, _day in isee_rows(date.today()):
        amount = Decimal(value)
        amounts |= {format_value(amount), f"{amount:.2f}", f"{amount:.2f}".replace(".", ",")}
    return amounts


def publish_ranking(app):
    """The officer admits the demo's matched applications and publishes a signed ranking."""
    officer = client(app, "rup-ba01")
    queue = officer.get(QUEUE + "?stato=abbinata")
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
    officer.post(QUEUE, [("azione", "start_review")] + [("uid", u) for u in uids(queue)]
                 + [("csrf_token", token)], status=303)
    queue = officer.get(QUEUE + "?stato=in_istruttoria")
    officer.post(QUEUE, [("azione", "declare_eligible")] + [("uid", u) for u in uids(queue)]
                 + [("csrf_token", token)], status=303)
    location = post(officer, RANKING).headers["Location"]
    version = urlsplit(location).path.rstrip("/")
    post(officer, version + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    return officer, version


def normalise(url, base):
    """A same-site path with query (``came_from`` dropped), or None for other sites."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc not in ("", "localhost")):
        return None
    path = parts.path
    if path.endswith("/") and len(path) > 1:
        path = path.rstrip("/")  # /a/ and /a are the same page
    if not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    if any(path.startswith(s) or s in path for s in SKIP):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "came_from"])
    return urlunsplit(("", "", path, query, ""))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_of(response):
    """What a visitor reads: a page's text, a PDF's, every cell of a spreadsheet."""
    if response.content_type == "application/pdf":
        reader = PdfReader(io.BytesIO(response.body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if response.content_type == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(response.body), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return response.text


def is_search(url):
    return url.startswith(("/cerca", "/api/search"))


def crawl(anonymous, seeds):
    """({url: text} of every page reached with 200, pages left unvisited), at most LIMIT.

    Breadth first; search result pages (endless facet combinations) wait in their own
    queue until every other page has been visited, so they never crowd pages out.
    """
    seen, pages = set(), {}
    pages_queue, searches = deque(), deque()
    searched = 0

    def push(url):
        if url not in seen:
            (searches if is_search(url) else pages_queue).append(url)

    for seed in seeds:
        push(seed)
    while (pages_queue or (searches and searched < SEARCH_LIMIT)) and len(pages) < LIMIT:
        url = (pages_queue or searches).popleft()
        if url in seen:
            continue
        seen.add(url)
        searched += is_search(url)
        response = anonymous.get(url, expect_errors=True)
        assert response.status_int < 500, (url, response.status)
        if response.status_int in (301, 302, 303, 307):
            target = normalise(response.headers["Location"], url)
            if target:
                push(target)
            continue
        if response.status_int != 200:
            continue
        pages[url] = text_of(response)
        if response.content_type in ("text/html", "image/svg+xml"):
            for href in HREF.findall(response.text):
                target = normalise(href.replace("&amp;", "&"), url.split("?")[0])
                if target:
                    push(target)
            path = urlsplit(url).path
            if "@@" not in path and not path.startswith("/api"):
                push("/api" + path.rstrip("/"))
    return pages, [u for u in pages_queue if u not in seen]


def own_input_removed(url, text):
    """The page without what the visitor typed into the URL (a search echoes its query)."""
    for _key, value in parse_qsl(urlsplit(url).query):
        for form in {value, value.lower(), value.upper()}:
            if len(form) > 2:
                text = text.replace(form, "")
    return text


def leaks(pages, codes, amounts, names):
    found = []
    for url, page in pages.items():
        text = own_input_removed(url, page)
        for token in TOKEN.findall(text):
            if codicefiscale.is_valid(token):
                found.append((url, "codice fiscale", token))
        for code in codes:
            if code in text or code.lower() in text:
                found.append((url, "codice fiscale noto", code))
        for amount in amounts:  # a digit or separator next to it makes another number
            if re.search(r"(?<![\d.,])" + re.escape(amount) + r"(?![\d])", text):
                found.append((url, "ISEE", amount))
        for name in names:
            if name in text:
                found.append((url, "legale rappresentante", name))
    return found


@pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")
def test_anonymous_pages_hold_no_personal_data(applications_app):
    officer, version = publish_ranking(applications_app)
    # the officer does see the ISEE where the ranking is decided
    assert any(a in officer.get(version).text for a in isee_amounts())
    anonymous = client(applications_app)
    codes, amounts = personal_codes(), isee_amounts()
    names = [p["legal_representative"] for p in demo_catalogue.PROVIDERS.values()]
    searches = [f"/cerca?{urlencode({'q': q})}" for q in sorted(codes) + names] + [
        f"/api/search?{urlencode({'q': q})}" for q in sorted(codes) + names]
    seeds = ["/", "/catalogo", "/catalogo/@@opendata.csv", "/catalogo/@@opendata.json",
             "/catalogo/@@mappa.svg", version, version + "/@@pdf", *searches]
    pages, unvisited = crawl(anonymous, seeds)
    assert not unvisited, unvisited[:10]  # every page but search variants was checked
    assert version + "/@@pdf" in pages
    assert version in pages
    assert any(url.startswith("/catalogo/girasole") for url in pages)
    assert any(url.startswith("/api/catalogo/") for url in pages)
    assert "Ammessa" in pages[version] or "FINANZIATA" in pages[version]
    assert len(pages) > 50, sorted(pages)
    found = leaks(pages, codes, amounts, names)
    assert not found, sorted({(kind, url) for url, kind, _ in found})[:40]
