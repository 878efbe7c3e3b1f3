"""No raw code on any page a user meets: a crawl of the demo as anonymous and as every demo login.

From the home page and the personal area, by same-site links, each visitor's HTML pages are
read as a person sees them (tags stripped; attribute values, hidden inputs, ``<code>`` and
``<script>`` ignored) and may not show a call's target code (``children_0_36``), a permission
name, a role id, a workflow state id, an ISO UTC timestamp or Pyramid's English error texts.
Refusals and error pages met on the way count as pages.
"""
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import lxml.html
import pytest

from content_types.call import TARGETS
from content_types.security import ALL_PERMISSIONS_NAMES, ROLES
from portal import demo
from tests.functional.applications.conftest import client
from tests.functional.applications.test_public_pages import HREF, normalise

LIMIT = 600  # pages per visitor
VARIANTS = 4  # query-string variants of one path (sort orders, filters, pages)
SEEDS = ("/", "/@@area-personale")
#: JSON for machines; search pages echo the query; the language switch turns the crawl to
#: English, where words such as "published" are prose, not state ids
SKIP = ("/api", "/verifica/", "/cerca", "/@@lingua")
INVISIBLE = ("script", "style", "code", "template", "noscript")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LOGINS = {login for login, *_ in demo.USERS}
#: what Pyramid and WebOb say when a page of ours does not (their error texts, in English)
ENGLISH = ("Unauthorized", "failed permission check", "Forbidden", "Not Found",
           "Bad Request", "Access was denied", "The resource could not be found")


def visible_text(html):
    """What a reader sees: text nodes only, without scripts, styles and code samples.

    lxml, not BeautifulSoup's pure-Python parser, which took half of the crawl's time (the
    same text on all 917 pages of four crawls, checked when it was changed).
    """
    root = lxml.html.document_fromstring(html)
    for element in list(root.iter(*INVISIBLE)):
        element.drop_tree()  # keeps the text that follows the element
    return " ".join(" ".join(root.itertext()).split())


def raw_codes(app_registry):
    """kind -> the codes that must never be shown, as whole words."""
    from workflows.registry import get_workflows  # noqa: PLC0415 - the app's own registry
    states = {s.name for w in get_workflows(app_registry).values() for s in w.states}
    return {
        "destinatari dell'avviso": set(TARGETS),
        "permesso": set(ALL_PERMISSIONS_NAMES),
        # a role id that is also a demo login («admin») is a person's name where it shows
        "ruolo": set(ROLES) - LOGINS,
        "stato": states,
    }


def findings(url, text, codes):
    """(kind, code, url, the words around it) of each raw code the page shows."""
    found = [("inglese", phrase, url, "") for phrase in ENGLISH if phrase in text]
    patterns = [(kind, re.compile(r"(?<![\w/@.-])" + re.escape(word) + r"(?![\w/-])"))
                for kind, words in codes.items() for word in words] + [("orario ISO", ISO_TIME)]
    for kind, pattern in patterns:
        match = pattern.search(text)
        if match:
            around = text[max(0, match.start() - 40):match.end() + 40]
            found.append((kind, match.group(0), url, around))
    return found


def report(found):
    """One line per kind of page (its view name) and code, with one example: a readable failure."""
    lines = {}
    for kind, word, url, around in found:
        path = urlsplit(url).path
        view = path.rsplit("@@", 1)[1] if "@@" in path else "(pagina del contenuto)"
        lines.setdefault((kind, word, view), f"{kind} «{word}» in {view}: {url} … {around} …")
    return "\n".join(sorted(lines.values()))


def crawl(visitor):
    """{url: visible text} of the HTML pages this visitor reaches from the seeds."""
    seen, pages, queue, variants = set(), {}, deque(SEEDS), Counter()
    while queue and len(pages) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = visitor.get(url, expect_errors=True)
        assert response.status_int < 500, (url, response.status)
        if response.status_int in (301, 302, 303, 307):
            target = normalise(response.headers["Location"], url)
            if target and target not in seen:
                queue.append(target)
            continue
        if response.content_type != "text/html":
            continue
        # a refusal or an error is a page the visitor reads too (its links are the layout's)
        pages[url] = visible_text(response.text)
        if response.status_int != 200:
            continue
        for href in HREF.findall(response.text):
            target = normalise(href.replace("&amp;", "&"), url.split("?")[0])
            if not target or target in seen or target.startswith(SKIP):
                continue
            path = urlsplit(target).path
            if "?" in target:
                if variants[path] >= VARIANTS:
                    continue
                variants[path] += 1
            queue.append(target)
    return pages


@pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")
@pytest.mark.parametrize("who", [None, *sorted(LOGINS)])
def test_no_page_shows_a_raw_code(applications_app, who):
    visitor = client(applications_app, who)
    pages = crawl(visitor)
    assert len(pages) > 5, sorted(pages)
    codes = raw_codes(applications_app.registry)
    found = [f for url, text in pages.items() for f in findings(url, text, codes)]
    assert not found, report(found)


def test_the_check_sees_codes_in_text_and_not_in_markup():
    codes = {"stato": {"submitted"}, "destinatari dell'avviso": {"children_0_36"}}
    html = ('<p>Destinatari: children_0_36</p><input type="hidden" name="s" value="submitted">'
            '<code>submitted</code><a href="/x?stato=submitted" title="submitted">Inviata</a>'
            '<script>var s = "2026-01-01T10:00";</script><p>2026-01-01T10:00:00+00:00</p>')
    found = findings("/x", visible_text(html), codes)
    assert {(kind, word) for kind, word, _url, _around in found} == {
        ("destinatari dell'avviso", "children_0_36"), ("orario ISO", "2026-01-01T10:00")}
