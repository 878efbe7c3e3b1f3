"""A service unit (*unità di offerta*): the authorised structure where a provider works.

Geography is referenced by stable ids: the municipality by its ISTAT code, the
ATS by its code; names are looked up in the tree (``/ambiti/<ats>/<comune>``).
"""

import colander
import deform.widget
from pyramid.traversal import find_root

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema, strip
from content_types.validators import istat_comune, normalize_code
from content_types.values import rome_today

#: articles of R.R. Puglia 4/2007 a unit may be authorised under [A: confirm the list
#: against the regulation in force; the code is what is stored]
REGULATORY_ARTICLES = (
    ("art. 52", "Art. 52 — Centro socio-educativo diurno per minori"),
    ("art. 53", "Art. 53 — Asilo nido, micro-nido, sezione primavera"),
    ("art. 60", "Art. 60 — Centro diurno socio-educativo e riabilitativo per disabili"),
    ("art. 68", "Art. 68 — Centro diurno per anziani"),
    ("art. 87", "Art. 87 — Servizio di assistenza domiciliare (SAD)"),
    ("art. 88", "Art. 88 — Assistenza domiciliare integrata (ADI)"),
    ("art. 101", "Art. 101 — Ludoteca"),
    ("art. 105", "Art. 105 — Centro diurno integrato per il supporto cognitivo"),
)
#: Italy's bounding box, islands included (Lampedusa to the Alps, Sardinia to Otranto)
LAT_RANGE = (35.0, 47.2)
LON_RANGE = (6.5, 18.6)


# -- geography lookups (ATS and municipalities by stable id) --------------------------
def portal_for(node=None, anchor=None):
    """The portal root: from ``anchor``, or the context or request the schema was bound to."""
    bindings = getattr(node, "bindings", None) or {}
    request = bindings.get("request")
    for candidate in (anchor, bindings.get("context"), getattr(request, "root", None)):
        if candidate is not None:
            root = find_root(candidate)
            if getattr(root, "type_name", None) == "Portal":
                return root
    return None


def districts(portal):
    """``{ATS code: District}`` of the portal's ``/ambiti``."""
    folder = portal.get("ambiti") if portal is not None else None
    if folder is None:
        return {}
    return {d.code: d for d in folder.values() if getattr(d, "type_name", None) == "District"}


def municipalities(portal):
    """``{ISTAT code: (Municipality, District)}`` for every municipality of every ATS."""
    found = {}
    for district in districts(portal).values():
        for child in district.values():
            if getattr(child, "type_name", None) == "Municipality":
                found[child.istat_code] = (child, district)
    return found


def lookup_municipality(code, anchor=None):
    """``(Municipality, District)`` for an ISTAT code, or ``(None, None)``."""
    return municipalities(portal_for(anchor=anchor)).get(code, (None, None))


def known_district(node, value):
    """An ATS code that exists under ``/ambiti`` (format only when no tree is at hand)."""
    if not value or len(value) != 5 or value[2] != "-":
        raise colander.Invalid(node, "Il codice dell'Ambito è nella forma BA-01.")
    portal = portal_for(node)
    if portal is not None and value not in districts(portal):
        raise colander.Invalid(node, f"Ambito «{value}» sconosciuto.")


def known_municipality(node, value):
    """A 6-digit ISTAT code of a municipality registered in one of the ATS."""
    istat_comune(node, value)
    portal = portal_for(node)
    if portal is not None and value not in municipalities(portal):
        raise colander.Invalid(
            node, f"Nessun comune con codice ISTAT «{value}» negli Ambiti del portale.")


def not_in_future(node, value):
    if value > rome_today():
        raise colander.Invalid(node, "La data non può essere futura.")


def _coordinates(node, appstruct):
    lat, lon = appstruct.get("latitude"), appstruct.get("longitude")
    if (lat is None) != (lon is None):
        exc = colander.Invalid(node, "Indicare latitudine e longitudine insieme.")
        exc["longitude" if lon is None else "latitude"] = "Indicare anche questa coordinata."
        raise exc


def _coordinate(low, high, what):
    return colander.Range(
        min=low, max=high,
        min_err=f"{what}: coordinate fuori dall'Italia.",
        max_err=f"{what}: coordinate fuori dall'Italia.",
    )


class ServiceUnitSchema(BaseSchema):
    address = colander.SchemaNode(
        colander.String(), title="Indirizzo", preparer=strip,
        validator=colander.Length(min=3, max=300, min_err="L'indirizzo è obbligatorio."),
    )
    municipality_code = colander.SchemaNode(
        colander.String(), title="Comune (codice ISTAT)",
        description="6 cifre, ad esempio 072006 per Bari",
        preparer=normalize_code, validator=known_municipality,
    )
    latitude = colander.SchemaNode(
        colander.Float(), title="Latitudine", missing=None,
        validator=_coordinate(*LAT_RANGE, "Latitudine"),
    )
    longitude = colander.SchemaNode(
        colander.Float(), title="Longitudine", missing=None,
        validator=_coordinate(*LON_RANGE, "Longitudine"),
    )
    regulatory_article = colander.SchemaNode(
        colander.String(), title="Articolo di autorizzazione (R.R. 4/2007)",
        widget=deform.widget.SelectWidget(values=(("", "— scegliere —"), *REGULATORY_ARTICLES)),
        validator=colander.OneOf([code for code, _ in REGULATORY_ARTICLES]),
    )
    authorisation_number = colander.SchemaNode(
        colander.String(), title="Numero dell'autorizzazione al funzionamento",
        preparer=strip, validator=colander.Length(min=1, max=100),
    )
    authorisation_date = colander.SchemaNode(
        colander.Date(), title="Data dell'autorizzazione", validator=not_in_future,
    )
    capacity = colander.SchemaNode(
        colander.Integer(), title="Capacità ricettiva (posti)",
        validator=colander.Range(min=1, max=10_000, min_err="Almeno un posto.",
                                 max_err="Al massimo 10.000 posti."),
    )
    opening_calendar = colander.SchemaNode(
        colander.String(), title="Calendario di apertura", missing="", preparer=strip,
        description="Giorni, orari e chiusure, ad esempio «lun–ven 7:30–16:30; chiuso ad agosto»",
        validator=colander.Length(max=2000), widget=deform.widget.TextAreaWidget(rows=2),
    )

    def validator(self, node, appstruct):
        _coordinates(node, appstruct)


def article_title(code):
    return dict(REGULATORY_ARTICLES).get(code, code or "")


@content_type(
    "ServiceUnit", title="Unità di offerta", title_plural="Unità di offerta",
    schema=ServiceUnitSchema, addable_to=("Provider",),
    catalog_attributes=("title", "description", "address", "municipality"),
)
class ServiceUnit(Container):
    """Holds the catalogue entries offered in this structure; security comes from the provider."""

    type_name = "ServiceUnit"
    description = ""
    address = ""
    municipality_code = ""
    #: derived from ``municipality_code`` when it is set (names shown and indexed)
    municipality_name = ""
    ats_code = ""
    latitude = None
    longitude = None
    regulatory_article = ""
    authorisation_number = ""
    authorisation_date = None
    capacity = 0
    opening_calendar = ""

    @property
    def municipality(self):
        """The municipality's name (the catalog's ``municipality`` field)."""
        return self.municipality_name or None

    @property
    def provider(self):
        return self.__parent__

    def set_data(self, data):
        super().set_data(data)
        if "municipality_code" in data:
            self.locate()

    def locate(self, anchor=None):
        """Copy the municipality's name and ATS code from the tree (True if found)."""
        municipality, district = lookup_municipality(
            self.municipality_code, anchor=anchor if anchor is not None else self)
        if municipality is None:
            return False
        self.municipality_name = municipality.title
        self.ats_code = district.code
        return True
