"""HTML checks shared by the template tests: what our CSP would block, and text lookups."""

from html.parser import HTMLParser


class Audit(HTMLParser):
    """Collect scripts, inline handlers, inline styles, links and ids of a page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs dict, text)
        self.inline_handlers = []  # (tag, attribute)
        self.style_attributes = []  # tag names
        self.style_elements = 0
        self.elements = []  # (tag, attrs dict)
        self.ids = set()
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in attrs:
            if name.startswith("on"):
                self.inline_handlers.append((tag, name))
            if name == "style":
                self.style_attributes.append(tag)
        for value in attrs.values():
            if value and value.strip().lower().startswith("javascript:"):
                self.inline_handlers.append((tag, value))
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self._script = (attrs, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attrs, parts = self._script
            self.scripts.append((attrs, "".join(parts)))
            self._script = None

    def find(self, tag, **attrs):
        """Elements with this tag whose attributes include all of attrs."""
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def assert_csp_clean(html):
    """No inline script, inline handler, javascript: URL or inline style."""
    audit = Audit(html)
    for attrs, text in audit.scripts:
        assert attrs.get("src"), f"inline <script> found: {text[:80]!r}"
        assert not text.strip(), f"<script src> with inline content: {text[:80]!r}"
    assert audit.inline_handlers == []
    assert audit.style_attributes == []
    assert audit.style_elements == 0
    return audit
