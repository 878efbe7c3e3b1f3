"""The Region's pre-fill of national and regional transfers (domain.md §6): a regional total
split among the ATS by inhabitants, to the cent, and the reading of a CSV of per-ATS amounts.

Largest remainder: each ATS gets the floor of its exact share in cents, and the cents left
over go one each to the largest fractional parts (ties: the order given), so the parts add
up to the total exactly.
"""
import csv
import io
from decimal import Decimal

from content_types.values import CENT
from portal.i18n import _
from portal.plans.rules.errors import InvalidPlanData
from portal.plans.rules.model import AmountError, parse_amount

#: the columns of the upload: ATS code;source;year;amount
CSV_COLUMNS = ("ambito", "fonte", "anno", "importo")
#: a CSV beyond this is not a list of 45 ATS × 4 sources × 3 years
MAX_CSV_ROWS = 5000


def split(total, weights):
    """{key: Decimal} parts of ``total`` (cents) proportional to ``weights`` ({key: int ≥ 0}).

    When every weight is zero the total is shared equally. The parts sum to ``total``.
    """
    if total < 0:
        raise ValueError("a negative total")
    keys = list(weights)
    if not keys:
        return {}
    cents = int((Decimal(total) / CENT).to_integral_value())
    if cents * CENT != total:
        raise ValueError("a total beyond the cent")
    weight = {k: max(int(weights[k]), 0) for k in keys}
    whole = sum(weight.values())
    if whole == 0:
        weight, whole = dict.fromkeys(keys, 1), len(keys)
    base, remainders = {}, {}
    for key in keys:
        quotient, remainder = divmod(cents * weight[key], whole)
        base[key], remainders[key] = quotient, remainder
    left = cents - sum(base.values())
    order = sorted(range(len(keys)), key=lambda i: (-remainders[keys[i]], i))
    for i in order[:left]:
        base[keys[i]] += 1
    return {k: (Decimal(base[k]) * CENT).quantize(CENT) for k in keys}


def spread(totals, weights):
    """{ats: {(source, year): Decimal}} from the regional ``totals`` ({(source, year): Decimal})."""
    found = {key: {} for key in weights}
    for cell, total in totals.items():
        for key, part in split(total, weights).items():
            found[key][cell] = part
    return found


def read_totals(rows, sources, years):
    """{(source, year): Decimal} from the form's cells {(source, year): text}; blank is none.

    Raises ``InvalidPlanData`` naming every bad cell ``totale.<source>.<year>``.
    """
    found, fields = {}, {}
    for source in sources:
        for year in years:
            text = rows.get((source, year), "")
            try:
                value = parse_amount(text, blank=None)
            except AmountError as exc:
                fields[f"totale.{source}.{year}"] = exc.message
                continue
            if value is not None:
                found[source, year] = value
    if fields:
        raise InvalidPlanData(fields=fields)
    if not found:
        raise InvalidPlanData(_("Indicare almeno un importo da ripartire."),
                              {"totale": "vuoto"})
    return found


def read_csv(text, districts, sources, years):
    """{ats code: {(source, year): Decimal}} from «ambito;fonte;anno;importo» lines.

    ``districts``: the ATS codes; ``sources``: the transfer sources' codes; ``years``: the
    period's. A first line naming the columns is skipped. Every bad line is named by its
    number (``riga.<n>``) and nothing is kept: raises ``InvalidPlanData``.
    """
    known = {d.upper(): d for d in districts}
    codes = {s.upper(): s for s in sources}
    found, fields, seen = {}, {}, {}
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    if len(lines) > MAX_CSV_ROWS:
        raise InvalidPlanData(_("Il file ha più di ${count} righe.",
                                mapping={"count": MAX_CSV_ROWS}), {"file": "troppe righe"})
    for number, raw in enumerate(lines, start=1):
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in ("ambito", "codice ambito", "ats"):
            continue
        problem = _read_line(cells, known, codes, years)
        if isinstance(problem, tuple):
            ats, source, year, amount = problem
            if (ats, source, year) in seen:
                fields[f"riga.{number}"] = _(
                    "Riga ${line}: ${ats}, ${source}, ${year} è già alla riga ${first}.",
                    mapping={"line": number, "ats": ats, "source": source, "year": year,
                             "first": seen[ats, source, year]})
                continue
            seen[ats, source, year] = number
            found.setdefault(ats, {})[source, year] = amount
        else:
            fields[f"riga.{number}"] = _("Riga ${line}: ${problem}",
                                         mapping={"line": number, "problem": problem})
    if fields:
        raise InvalidPlanData(_("Il file ha ${count} righe non valide: nessun importo è "
                                "stato salvato.", mapping={"count": len(fields)}), fields)
    if not found:
        raise InvalidPlanData(_("Il file non contiene importi."), {"file": "vuoto"})
    return found


def _read_line(cells, known, codes, years):
    """(ats, source, year, amount), or the message of what is wrong with the line."""
    if len(cells) != len(CSV_COLUMNS):
        return _("servono 4 colonne separate da punto e virgola (ambito;fonte;anno;importo), "
                 "trovate ${count}.", mapping={"count": len(cells)})
    ats_text, source_text, year_text, amount_text = cells
    ats = known.get(ats_text.upper())
    if ats is None:
        return _("l'Ambito «${code}» non esiste.", mapping={"code": ats_text[:20]})
    source = codes.get(source_text.upper())
    if source is None:
        return _("la fonte «${code}» non è un trasferimento statale o regionale (ammesse: "
                 "${codes}).", mapping={"code": source_text[:20],
                                        "codes": ", ".join(codes.values())})
    if not year_text.isdigit() or int(year_text) not in years:
        return _("l'anno «${year}» non è del periodo del piano.",
                 mapping={"year": year_text[:10]})
    if not amount_text:
        return _("manca l'importo.")
    try:
        amount = parse_amount(amount_text)
    except AmountError as exc:
        return exc.message
    return ats, source, int(year_text), amount
