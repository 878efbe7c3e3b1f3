"""Backend-neutral query and result objects.

A ``Query`` is plain data: filters (``Eq``/``In``/``Range``) on catalog
fields, optional full text, one sort, paging and the facets to count. Both
backends take the same object and must return the same hits.
"""
from dataclasses import dataclass, field
from datetime import UTC, datetime

from catalog.analysis import query_tokens
from catalog.errors import InvalidQuery
from content_types.i18n import _

#: filterable fields -> kind ("str", "int", "time", "list")
FIELDS = {
    "uid": "str",
    "path": "str",
    "parent": "str",        # path of the direct container
    "ancestors": "list",    # paths of every container above (subtree filter)
    "type_name": "str",
    "state": "str",
    "district": "str",      # ATS code of the nearest District ("BA-01")
    "municipality": "str",
    "year": "int",          # year of ``created`` (UTC)
    "created": "time",
    "modified": "time",
    "service_type": "str",      # catalogue entries: service code ("asilo-nido")
    "age_min_months": "int",    # catalogue entries: age range of the users, months
    "age_max_months": "int",
    "has_free_places": "int",   # catalogue entries: 1 with free places, else 0
    "protocol": "str",          # applications: protocol number, exact
    "service_paths": "list",    # applications: chosen catalogue entry and its containers
    # personal data (``PERSONAL_FIELDS``): only in queries with ``personal=True``
    "beneficiary_fiscal_code": "str",   # exact, upper case
    "beneficiary_words": "list",        # folded words of the beneficiary's name, exact
    "actors": "list",                   # logins that fired a workflow transition
}
#: fields holding personal data: filtering on them needs ``Query(personal=True)``
PERSONAL_FIELDS = ("beneficiary_fiscal_code", "beneficiary_words", "actors")
#: sort keys (``relevance`` needs text); ties broken by the entry's docid
SORTS = ("relevance", "title", "created", "modified", "year", "state", "type_name", "path",
         "protocol")
FACETS = ("type_name", "state", "district", "municipality", "year")
MAX_LIMIT = 500
MAX_FACET_VALUES = 1000


def to_micros(value):
    """Datetime (aware) or int -> microseconds since the epoch, as stored."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidQuery(_("Le date devono avere il fuso orario."), field="time")
        return int(value.timestamp() * 1_000_000)
    return int(value)


def from_micros(value):
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1_000_000, UTC)


@dataclass(frozen=True)
class Eq:
    field: str
    value: object


@dataclass(frozen=True)
class In:
    field: str
    values: tuple


@dataclass(frozen=True)
class Range:
    """``min <= field <= max``; either bound may be ``None`` (open)."""

    field: str
    min: object = None
    max: object = None


@dataclass(frozen=True)
class Query:
    """What to look for; ``principals`` are passed separately to ``search``.

    ``personal``: only entries the principals may read the personal data of
    (``allowed_personal``), the only queries that may filter on ``PERSONAL_FIELDS``.
    """

    filters: tuple = ()
    text: str = ""
    sort: str = None          # None: relevance with text, else "created"
    reverse: bool = False
    start: int = 0
    limit: int = 20
    facets: tuple = ()
    snippets: bool = True
    personal: bool = False

    def __post_init__(self):
        for f in self.filters:
            if not isinstance(f, (Eq, In, Range)) or f.field not in FIELDS:
                raise InvalidQuery(_("Filtro non valido: ${filter}.", mapping={"filter": repr(f)}),
                                   field="filters")
            if isinstance(f, Range) and FIELDS[f.field] not in ("int", "time"):
                raise InvalidQuery(_("Il campo «${field}» non ammette intervalli.",
                                     mapping={"field": f.field}))
            if f.field in PERSONAL_FIELDS and not self.personal:
                raise InvalidQuery(_("Il campo «${field}» contiene dati personali: non si cerca "
                                     "qui.", mapping={"field": f.field}), field="filters")
        if self.sort is not None and self.sort not in SORTS:
            raise InvalidQuery(_("Ordinamento sconosciuto: «${sort}».", mapping={"sort": self.sort}),
                               field="sort")
        for name in self.facets:
            if name not in FACETS:
                raise InvalidQuery(_("Faccetta sconosciuta: «${name}».", mapping={"name": name}),
                                   field="facets")
        if self.start < 0 or not 0 <= self.limit <= MAX_LIMIT:
            raise InvalidQuery(_("Paginazione non valida."), field="limit")

    @property
    def effective_sort(self):
        """``relevance`` only when the text has tokens, else ``created``."""
        has_text = bool(query_tokens_for(self))
        if self.sort == "relevance" and not has_text:
            return "created"
        return self.sort or ("relevance" if has_text else "created")


def normalize_value(name, value):
    """A filter value in the form stored in the index (micros for times)."""
    kind = FIELDS[name]
    if value is None:
        return None
    if kind == "time":
        return to_micros(value)
    if kind == "int":
        return int(value)
    return str(value)


@dataclass
class Hit:
    """One result: the entry's stored fields, no object loaded."""

    uid: str
    path: str
    type_name: str
    title: str
    state: str = None
    district: str = None
    municipality: str = None
    year: int = None
    created: datetime = None
    modified: datetime = None
    score: float = None
    snippet: str = ""

    def as_json(self):
        data = dict(self.__dict__)
        for key in ("created", "modified"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass
class Results:
    """``total`` matching entries, one page of ``items``, ``facets`` counts.

    ``facets`` maps a facet name to ``[(value, count), ...]``, count
    descending then value ascending. ``pending`` is the number of changes
    not yet sent to the search server (results may be incomplete).
    """

    total: int
    items: list
    facets: dict = field(default_factory=dict)
    pending: int = 0

    @property
    def incomplete(self):
        return self.pending > 0

    def as_json(self):
        return {
            "total": self.total,
            "items": [hit.as_json() for hit in self.items],
            "facets": {k: [{"value": v, "count": c} for v, c in vs]
                       for k, vs in self.facets.items()},
            "incomplete": self.incomplete,
        }


def sort_facet_counts(counts):
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:MAX_FACET_VALUES]


def query_tokens_for(query):
    """The analysed tokens of a query's text (empty: no text condition)."""
    return query_tokens(query.text) if query.text else []
