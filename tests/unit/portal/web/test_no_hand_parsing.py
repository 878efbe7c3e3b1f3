"""Every POST is read through ``FormView`` or ``portal.web.posted``: no view parses ``request.POST``.

Read from the source with ``ast``: any ``.POST`` or ``.params`` attribute outside the
allowed readers fails (query strings are read from ``request.GET``).
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
#: module -> why it may touch the raw body
ALLOWED = {
    "portal/web/forms.py": "FormView: deform reads the body",
    "portal/web/posted.py": "the colander reader every other view uses",
    "portal/request_checks.py": "the tween parses the body early to refuse malformed ones",
}
# ``request.params`` mixes the query string and the body: a back door to hand parsing


def _is_request(node):
    return ((isinstance(node, ast.Name) and node.id == "request")
            or (isinstance(node, ast.Attribute) and node.attr == "request"))


def raw_reads(source, filename="<source>"):
    """``line: expression`` for every ``.POST`` and every ``request.params`` in ``source``."""
    return [f"{node.lineno}: {ast.unparse(node)}"
            for node in ast.walk(ast.parse(source, filename))
            if isinstance(node, ast.Attribute)
            and (node.attr == "POST" or (node.attr == "params" and _is_request(node.value)))]


def test_the_check_sees_every_way_of_reading_the_body():
    source = ("def view(context, request):\n"
              "    a = request.POST['x']\n"
              "    b = request.POST.get('y', '')\n"
              "    c = self.request.POST.getall('z')\n"
              "    d = request.params.get('w')\n"
              "    e = request.GET.get('q')\n"
              "    f = criteria.params()\n"
              "    g = req.POST\n")
    found = raw_reads(source)
    assert sorted(int(line.split(":")[0]) for line in found) == [2, 3, 4, 5, 8]


def test_no_view_reads_the_raw_body():
    wrong = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        wrong += [f"{relative}:{read}" for read in raw_reads(path.read_text("utf-8"), relative)]
    assert not wrong, "read the POST through FormView or portal.web.posted:\n" + "\n".join(wrong)


def test_the_allowed_readers_exist():
    """A renamed helper must not leave a stale permission behind."""
    assert all((ROOT / relative).is_file() for relative in ALLOWED)
