"""POST bodies read once, through a colander schema: with ``forms``, the one reader of ``request.POST``.

Views declare the fields they take (small schemas are fine) and get clean values back;
the domain checks that follow keep their own messages. A malformed body is refused
with ``ValidationFailed`` (400) and the fields colander names, never a 5xx.
"""
import colander

from portal.errors import ValidationFailed
from portal.i18n import _


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class Upload(colander.SchemaType):
    """A posted file (it has ``file`` and ``filename``); anything else counts as missing."""

    def deserialize(self, node, cstruct):
        if cstruct is colander.null or not hasattr(cstruct, "file"):
            return colander.null
        return cstruct


def text(name, limit=None, strip=True, upper=False):
    """A text field: "" when absent; stripped, upper-cased, cut at ``limit`` as asked."""
    def prepare(value):
        value = _strip(value) if strip else value
        if isinstance(value, str):
            value = value.upper() if upper else value
            value = value[:limit] if limit is not None else value
        return value
    return colander.SchemaNode(colander.String(allow_empty=True), name=name, missing="",
                               preparer=prepare)


def texts(name):
    """Every value of a repeated field (checkboxes, selections), in the order sent."""
    return colander.SchemaNode(colander.Sequence(accept_scalar=True),
                               colander.SchemaNode(colander.String(allow_empty=True)),
                               name=name, missing=())


def upload(name="file"):
    """A posted file, or None."""
    return colander.SchemaNode(Upload(), name=name, missing=None)


def schema(*nodes):
    """A mapping of ``nodes`` (unknown fields are ignored)."""
    mapping = colander.SchemaNode(colander.Mapping(unknown="ignore"))
    for node in nodes:
        mapping.add(node)
    return mapping


def cstruct(params, mapping):
    """The raw values of ``mapping``'s fields in a WebOb MultiDict (the last of repeated ones)."""
    raw = {}
    for node in mapping.children:
        if isinstance(node.typ, colander.Sequence | colander.Set):
            raw[node.name] = params.getall(node.name)
        elif node.name in params:
            raw[node.name] = params[node.name]
    return raw


def posted(request, mapping):
    """``request.POST`` deserialized by ``mapping``; a malformed body is a 400 naming the fields."""
    try:
        return mapping.deserialize(cstruct(request.POST, mapping))
    except colander.Invalid as exc:
        raise ValidationFailed(_("Controllare i campi evidenziati."), exc.asdict()) from None


def version(request):
    """The version token a form was loaded with ("" when absent)."""
    return posted(request, schema(text("_version", strip=False)))["_version"]


def rows(request, key, fields):
    """The repeated rows of a grid: one per value of ``key``, with the text of each
    ``<value>.<field>`` (``fields``: (name, posted label) pairs) under ``name``.

    Read from one plain dict: a MultiDict lookup scans every field, so 500 rows of 7
    inputs would cost 3,500 × 3,500 comparisons.
    """
    values = posted(request, schema(texts(key)))[key]
    flat = dict(request.POST.items())
    found = []
    for value in values:
        row = {key: value}
        for name, label in fields:
            raw = flat.get(f"{value}.{label}", "")
            row[name] = _strip(raw) if isinstance(raw, str) else ""
        found.append(row)
    return found


def repeated(request, suffixes):
    """{field: [values]} of the POST's fields whose last dotted part is in ``suffixes``
    (checkboxes and multiple selects of a grid's rows): one pass over the body."""
    found = {}
    for name, value in request.POST.items():
        if name.rsplit(".", 1)[-1] in suffixes and isinstance(value, str):
            found.setdefault(name, []).append(value)
    return found
