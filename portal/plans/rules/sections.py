"""Reading each section of the editor from what people typed (forms and the JSON API alike).

Every reader takes plain rows (dicts of strings) and returns the stored values, or raises
``InvalidPlanData`` whose ``fields`` name every wrong cell (``<row>.<column>``) with its
Italian reason: all-or-nothing, so a refused save changes nothing.
"""
import re

from content_types.values import ZERO
from portal.i18n import _
from portal.plans.rules import model
from portal.plans.rules.errors import InvalidPlanData

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,19}$")
MAX_TEXT = 300
MAX_LONG_TEXT = 4000


class _Errors:
    def __init__(self):
        self.fields = {}

    def add(self, where, message):
        self.fields.setdefault(where, message)

    def amount(self, where, text):
        try:
            return model.parse_amount(text)
        except model.AmountError as exc:
            self.add(where, exc.message)
            return ZERO

    def raise_if_any(self):
        if self.fields:
            raise InvalidPlanData(fields=self.fields)


def _text(row, name, limit=MAX_TEXT):
    value = row.get(name)
    value = value.strip() if isinstance(value, str) else ""
    return value[:limit]


def _code(errors, where, text):
    code = (text or "").strip().upper()
    if not CODE.match(code):
        errors.add(where, _("Il codice è di lettere maiuscole e cifre (al massimo 20), ad "
                            "esempio FNPS."))
    return code


def _year(errors, where, years, text):
    try:
        year = int(str(text).strip())
    except ValueError:
        year = None
    if year not in years:
        errors.add(where, _("L'anno deve essere uno di quelli del piano (${years}).",
                            mapping={"years": ", ".join(str(y) for y in years)}))
    return year


def read_sources(rows, years, transfers=None):
    """(sources, availability) from rows: code, title, kind, fund, and one amount per year.

    ``transfers`` are the Region's pre-filled amounts ({(source, year): Decimal}): they
    stand whatever the ATS sends. A municipal source's amounts come from the co-financing.
    """
    errors, sources, availability, seen = _Errors(), [], {}, set()
    transfers = transfers or {}
    for index, row in enumerate(rows):
        where = f"fonti.{index}"
        code = _code(errors, f"{where}.codice", row.get("code"))
        if code in seen:
            errors.add(f"{where}.codice", _("Il codice «${code}» è già usato da un'altra fonte.",
                                            mapping={"code": code}))
        seen.add(code)
        title = _text(row, "title")
        if not title:
            errors.add(f"{where}.titolo", _("Indicare il nome della fonte."))
        kind = _text(row, "kind")
        if kind not in model.SOURCE_KINDS:
            errors.add(f"{where}.tipo", _("Scegliere il tipo della fonte."))
        sources.append({"code": code, "title": title, "kind": kind,
                        "fund": _text(row, "fund", 20).upper()})
        if kind == model.COMUNALE:
            continue
        amounts = row.get("amounts") or {}
        for year in years:
            value = errors.amount(f"{where}.{year}", amounts.get(str(year), amounts.get(year)))
            if (code, year) in transfers:
                value = transfers[code, year]
            if value:
                availability[code, year] = value
    errors.raise_if_any()
    return tuple(sources), availability


def read_cofinancing(rows, years, municipalities):
    """{(istat, year): Decimal} from rows: istat, and one amount per year.

    A municipality outside the ATS is refused here, by name, before anything is stored.
    """
    errors, cofinancing = _Errors(), {}
    known = {m.istat for m in municipalities}
    for index, row in enumerate(rows):
        istat = _text(row, "istat", 6)
        where = f"cofinanziamento.{index}"
        if istat not in known:
            errors.add(f"{where}.comune", _(
                "Il comune con codice ISTAT «${istat}» non appartiene a questo Ambito: non può "
                "cofinanziarne il piano.", mapping={"istat": istat}))
            continue
        amounts = row.get("amounts") or {}
        for year in years:
            value = errors.amount(f"{where}.{year}", amounts.get(str(year), amounts.get(year)))
            if value:
                cofinancing[istat, year] = value
    errors.raise_if_any()
    return cofinancing


def read_interventions(rows, municipalities):
    """The interventions from rows: code, title, service, area, objective, level, …"""
    errors, interventions, seen = _Errors(), [], set()
    known = {m.istat for m in municipalities}
    for index, row in enumerate(rows):
        where = f"interventi.{index}"
        code = _code(errors, f"{where}.codice", row.get("code"))
        if code in seen:
            errors.add(f"{where}.codice", _("Il codice «${code}» è già usato da un altro "
                                            "intervento.", mapping={"code": code}))
        seen.add(code)
        title = _text(row, "title")
        if not title:
            errors.add(f"{where}.titolo", _("Indicare il nome dell'intervento."))
        level = _text(row, "level") or model.AMBITO
        if level not in model.LEVELS:
            errors.add(f"{where}.valenza", _("Indicare se l'intervento è di Ambito o comunale."))
        chosen = tuple(dict.fromkeys(m.strip() for m in row.get("municipalities") or ()
                                     if m and m.strip()))
        for istat in chosen:
            if istat not in known:
                errors.add(f"{where}.comuni", _(
                    "Il comune con codice ISTAT «${istat}» non appartiene a questo Ambito.",
                    mapping={"istat": istat[:6]}))
        series = tuple(s.strip() for s in row.get("voucher_series") or () if s and s.strip())
        interventions.append({
            "code": code, "title": title, "service": _text(row, "service", 20),
            "area": _text(row, "area", 20), "objective": _text(row, "objective", 20),
            "level": level, "municipalities": chosen if level == model.COMUNALE_LEVEL else (),
            "description": _text(row, "description", MAX_LONG_TEXT),
            "target": _text(row, "target"), "voucher_series": series,
        })
    errors.raise_if_any()
    return tuple(interventions)


def read_allocations(rows, years, interventions, sources):
    """{(intervention, source, year): Decimal} from rows: intervention, source, year, amount."""
    errors, allocations = _Errors(), {}
    known_interventions = {i["code"] if isinstance(i, dict) else i.code for i in interventions}
    known_sources = {s["code"] if isinstance(s, dict) else s.code for s in sources}
    for index, row in enumerate(rows):
        where = f"allocazioni.{index}"
        code, source = _text(row, "intervention", 20), _text(row, "source", 20)
        if code not in known_interventions:
            errors.add(f"{where}.intervento", _("Intervento sconosciuto: «${code}».",
                                                mapping={"code": code}))
        if source not in known_sources:
            errors.add(f"{where}.fonte", _("Fonte sconosciuta: «${code}».",
                                           mapping={"code": source}))
        year = _year(errors, f"{where}.anno", years, row.get("year"))
        value = errors.amount(f"{where}.importo", row.get("amount"))
        if value:
            key = (code, source, year)
            allocations[key] = allocations.get(key, ZERO) + value
    errors.raise_if_any()
    return allocations
