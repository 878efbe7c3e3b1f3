"""A call's rules as the Region writes them, checked as the domain reads them (domain.md §4-5).

The authoring form speaks in bands *from–to* with the family's share; the call stores
upper-inclusive bands (``copayment.Scheme``). ``problems`` lists every fault with the path
of its field, ``raise_invalid`` turns them into one ``colander.Invalid`` on the form's
schema, ``to_call_data`` / ``from_call`` convert between the two shapes. No request here.

Contiguity [A]: ISEE values are in cents, but calls write bands as «0–2.000, 2.001–7.500»;
a band may start at most 1 € after the previous one ends (the cents in between belong
to the next band, as the stored upper-inclusive bands say), never at or before its end.
"""
from datetime import date, timedelta

import colander

from content_types.values import ZERO, cents, euro, to_decimal, to_local
from portal.applications.rules.copayment import HUNDRED, scheme_from_data
from portal.applications.rules.eligibility import TARGETS
from portal.applications.rules.errors import InvalidRules
from portal.applications.rules.isee import ISEE_TYPES
from portal.applications.rules.ranking import DEFAULT_KEYS, KEY_FIELDS, RankingRules
from portal.i18n import _

ONE_EURO = to_decimal(1)
CENT = to_decimal("0.01")
#: the longest application window and service period a call may set [A]
WINDOW_MAX_DAYS = 366
PERIOD_MAX_DAYS = 3 * 366
SCHEMES = ("children", "elderly")


def band_problems(bands):
    """``(index, field, message)`` for every fault of a from–to band list (empty: fine)."""
    found = []
    if not bands:
        return [(None, None, _("Indicare almeno una fascia ISEE."))]
    previous_to, previous_share = None, None
    last = len(bands) - 1
    for index, band in enumerate(bands):
        low, high, share = band.get("from"), band.get("to"), band.get("share")
        fixed = band.get("fixed") or ZERO
        if low is None:
            found.append((index, "from", _("Indicare l'ISEE iniziale della fascia.")))
        elif index == 0 and low != ZERO:
            found.append((index, "from", _("La prima fascia deve partire da 0,00 €.")))
        elif previous_to is not None and low <= previous_to:
            found.append((index, "from", _(
                "La fascia si sovrappone alla precedente, che arriva a ${end}: deve partire "
                "oltre.", mapping={"end": euro(previous_to)})))
        elif previous_to is not None and low > previous_to + ONE_EURO:
            found.append((index, "from", _(
                "Tra ${end} e ${start} resta un intervallo di ISEE senza fascia: la fascia "
                "deve partire subito dopo la precedente.",
                mapping={"end": euro(previous_to), "start": euro(low)})))
        if high is None:
            if index != last:
                found.append((index, "to", _("Solo l'ultima fascia può non avere un limite "
                                             "superiore.")))
        elif low is not None and high <= low:
            found.append((index, "to", _("Il limite superiore deve essere maggiore di quello "
                                         "iniziale.")))
        if share is None or not ZERO <= share <= HUNDRED:
            found.append((index, "share", _("La quota della famiglia è una percentuale tra 0 "
                                            "e 100.")))
        elif previous_share is not None and share < previous_share:
            found.append((index, "share", _(
                "La quota della famiglia non può scendere quando l'ISEE sale (fascia "
                "precedente: ${share} %).", mapping={"share": previous_share})))
        if fixed < ZERO:
            found.append((index, "fixed", _("La quota fissa non può essere negativa.")))
        previous_to = high if high is not None else previous_to
        if share is not None and ZERO <= share <= HUNDRED:
            previous_share = share
    return found


def problems(data, districts=()):
    """``(path, message)`` for every fault of an authoring ``data`` (paths: tuple of names)."""
    found = []

    def add(path, message):
        found.append((path, message))

    if data.get("target") not in TARGETS:
        add(("target",), _("Scegliere i destinatari dell'avviso."))
    types = data.get("isee_types") or ()
    if not types or any(t not in ISEE_TYPES for t in types):
        add(("isee_types",), _("Scegliere almeno un tipo di ISEE ammesso."))
    threshold = data.get("isee_max")
    if threshold is None or threshold <= ZERO:
        add(("isee_max",), _("La soglia ISEE deve essere maggiore di zero."))
    restricted = data.get("restricted_isee_max")
    if restricted is not None and restricted <= ZERO:
        add(("restricted_isee_max",), _("La soglia dell'ISEE ristretto deve essere maggiore "
                                        "di zero."))
    low, high = data.get("age_min_months"), data.get("age_max_months")
    if low is not None and high is not None and high <= low:
        add(("age_max_months",), _("L'età massima deve superare quella minima."))
    if data.get("scheme") not in SCHEMES:
        add(("scheme",), _("Scegliere lo schema di compartecipazione."))
    bands = data.get("bands") or []
    for index, name, message in band_problems(bands):
        add(("bands",) if index is None else ("bands", index, name), message)
    if bands and threshold is not None and threshold > ZERO and not any(
            p[0][0] == "bands" for p in found):
        top = bands[-1].get("to")
        if top is not None and top < threshold:
            add(("bands", len(bands) - 1, "to"), _(
                "Le fasce arrivano a ${top} ma la soglia ISEE è ${threshold}: l'ultima fascia "
                "deve coprire la soglia.", mapping={"top": euro(top), "threshold": euro(threshold)}))
    keys = data.get("ranking_keys") or []
    if not keys:
        add(("ranking_keys",), _("Indicare almeno un criterio di graduatoria."))
    seen = set()
    for index, key in enumerate(keys):
        if key.get("field") not in KEY_FIELDS:
            add(("ranking_keys", index, "field"), _("Criterio di graduatoria sconosciuto."))
        elif key["field"] in seen:
            add(("ranking_keys", index, "field"), _("Questo criterio è già in elenco."))
        seen.add(key.get("field"))
        if key.get("order") not in ("asc", "desc"):
            add(("ranking_keys", index, "order"), _("Scegliere l'ordine."))
    budgets = data.get("budgets") or {}
    for code in districts:
        value = budgets.get(code)
        if value is None:
            add(("budgets", code), _("Indicare il budget dell'Ambito (anche 0,00 €)."))
        elif value < ZERO:
            add(("budgets", code), _("Il budget non può essere negativo."))
    found.extend(window_problems(data))
    return found


def window_problems(data):
    """The dates: service period and application window in sensible bounds."""
    found = []
    start, end = data.get("period_start"), data.get("period_end")
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if start and end:
        if end < start:
            found.append((("period_end",), _("La fine del periodo deve seguire l'inizio.")))
        elif (end - start).days > PERIOD_MAX_DAYS:
            found.append((("period_end",), _("Il periodo del servizio non può superare i "
                                             "tre anni.")))
    if opens and closes:
        if closes <= opens:
            found.append((("closes_at",), _("La chiusura delle domande deve seguire "
                                            "l'apertura.")))
        elif closes - opens > timedelta(days=WINDOW_MAX_DAYS):
            found.append((("closes_at",), _("Le domande non possono restare aperte per più "
                                            "di un anno.")))
        elif end and to_local(closes).date() > end:
            found.append((("closes_at",), _("Le domande devono chiudersi entro la fine del "
                                            "periodo del servizio.")))
    return found


def raise_invalid(node, found):
    """One ``colander.Invalid`` on ``node`` with each message on its field (no-op if none)."""
    if not found:
        return
    top = colander.Invalid(node)
    for path, message in found:
        _attach(top, node, path, message)
    raise top


def _child(error, node, name):
    """The sub-error of ``error`` for ``node``'s child ``name`` (made on first use)."""
    if isinstance(node.typ, colander.Sequence):
        position, child = name, node.children[0]
    else:
        position = next(i for i, c in enumerate(node.children) if c.name == name)
        child = node.children[position]
    for sub in error.children:
        if sub.node is child and sub.pos == position:
            return sub, child
    sub = colander.Invalid(child)
    error.add(sub, position)
    return sub, child


def _attach(top, node, path, message):
    error = top
    for name in path:
        error, node = _child(error, node, name)
    error.msg = message if error.msg is None else error.msg


def to_call_data(data):
    """The Call's attributes from checked authoring ``data`` (InvalidRules if inconsistent)."""
    target = data["target"]
    eligibility = {
        "target": target, "isee_types": list(data["isee_types"]),
        "isee_max": str(cents(data["isee_max"])),
        "residence_region": data.get("residence_region") or None,
        "disability_required": bool(data.get("disability_required")),
        "reject_discrepancies": bool(data.get("reject_discrepancies")),
    }
    if data.get("restricted_isee_max") is not None:
        eligibility["restricted_isee_max"] = str(cents(data["restricted_isee_max"]))
    for name in ("age_min_months", "age_max_months"):
        if data.get(name) is not None:
            eligibility[name] = data[name]
    if data.get("age_reference"):
        eligibility["age_reference"] = data["age_reference"].isoformat()
    if data.get("service_types"):
        eligibility["service_types"] = list(data["service_types"])
    bands = data["bands"]
    if data["scheme"] == "children":
        copayment = {"scheme": "children", "bands": [
            {"up_to": None if b.get("to") is None else str(b["to"]),
             "fixed": str(b.get("fixed") or ZERO), "percent": str(b["share"])} for b in bands]}
        if data.get("free_up_to") is not None:
            copayment["free_up_to"] = str(data["free_up_to"])
    else:
        copayment = {"scheme": "elderly", "franchigia": str(cents(data.get("franchigia") or 0)),
                     "bands": [{"up_to": None if b.get("to") is None else str(b["to"]),
                                "coverage": str(HUNDRED - b["share"])} for b in bands]}
    scheme_from_data(copayment)  # the scheme that will price applications accepts it
    ranking = RankingRules.from_data({
        "keys": [{"field": k["field"], "order": k["order"]} for k in data["ranking_keys"]],
        "allow_skipping": bool(data.get("allow_skipping"))}).to_data()
    values = {name: data[name] for name in (
        "code", "title", "description", "target", "period_start", "period_end", "opens_at",
        "closes_at", "max_months", "matching_days", "integration_days") if name in data}
    values.update(eligibility=eligibility, copayment=copayment, ranking=ranking)
    values["budgets"] = {code: str(cents(v)) for code, v in (data.get("budgets") or {}).items()}
    return values


def from_call(call):
    """The authoring data of a stored call (to start a new version from its rules)."""
    rules = call.eligibility or {}
    pay = call.copayment or {}
    bands, previous = [], None
    for band in pay.get("bands") or ():
        up_to = band.get("up_to")
        high = None if up_to in (None, "") else to_decimal(up_to)
        share = (to_decimal(band.get("percent", 0)) if pay.get("scheme") != "elderly"
                 else HUNDRED - to_decimal(band.get("coverage", 0)))
        bands.append({"from": _next_start(previous), "to": high,
                      "fixed": to_decimal(band.get("fixed", 0)), "share": share})
        previous = high
    keys = (call.ranking or {}).get("keys") or [{"field": f, "order": o} for f, o in DEFAULT_KEYS]
    value = lambda name: None if rules.get(name) in (None, "") else to_decimal(rules[name])  # noqa: E731
    reference = rules.get("age_reference")
    return {
        "code": call.code, "title": call.title, "description": call.description,
        "target": call.target or rules.get("target"),
        "isee_types": list(rules.get("isee_types") or ()), "isee_max": value("isee_max"),
        "restricted_isee_max": value("restricted_isee_max"),
        "residence_region": rules.get("residence_region") or "",
        "age_min_months": rules.get("age_min_months"), "age_max_months": rules.get("age_max_months"),
        "disability_required": bool(rules.get("disability_required")),
        "reject_discrepancies": bool(rules.get("reject_discrepancies")),
        "age_reference": _day(reference),
        "service_types": list(rules.get("service_types") or ()),
        "scheme": pay.get("scheme") or "children",
        "franchigia": None if pay.get("franchigia") is None else to_decimal(pay["franchigia"]),
        "free_up_to": None if pay.get("free_up_to") in (None, "") else to_decimal(pay["free_up_to"]),
        "bands": bands,
        "ranking_keys": [{"field": k.get("field"), "order": k.get("order", "asc")} for k in keys],
        "allow_skipping": bool((call.ranking or {}).get("allow_skipping")),
        "budgets": {code: to_decimal(v) for code, v in (call.budgets or {}).items()},
        "period_start": call.period_start, "period_end": call.period_end,
        "opens_at": call.opens_at, "closes_at": call.closes_at, "max_months": call.max_months,
        "matching_days": call.matching_days, "integration_days": call.integration_days,
    }


def _next_start(previous):
    """Where a band starts after one ending at ``previous``: «2.001» after «2.000»."""
    if previous is None:
        return ZERO
    step = ONE_EURO if previous == previous.to_integral_value() else CENT
    return cents(previous + step)


def _day(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def check(data, districts=()):
    """Raise ``InvalidRules`` with the first message if ``data`` has faults (non-form callers)."""
    found = problems(data, districts)
    if found:
        raise InvalidRules(found[0][1], {".".join(map(str, p)): m for p, m in found})
