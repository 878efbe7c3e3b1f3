"""Granting benefits and changing their status: the register's one writer.

Before a benefit is recorded, the duplicate check reads the person's benefits from the social
index (every ATS, municipality and provider) and refuses while some of the same category
overlap the period, unless the officer gives a reason to go on (kept on the benefit with what
was shown). Every change is told with ``BenefitChanged`` (the case manager hears it).
"""
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from pyramid.traversal import resource_path

from content_types.benefit import FOLDER_NAME, SOURCES, Benefit, BenefitFolder
from content_types.district import Municipality
from content_types.events import ObjectModified
from content_types.values import cents, utcnow
from portal.i18n import _
from portal.people import store as people
from portal.people.events import BenefitChanged
from portal.register import codes
from portal.register.rules import periods, status
from portal.register.rules.errors import DuplicateBenefit, InvalidBenefit

MEANS_TESTS = ("1", "2", "3", "4")
REASON_MAX = 1000


def folder_of(place, registry=None):
    """``ambiti/<ats>/prestazioni`` or ``ambiti/<ats>/<comune>/prestazioni``, added with the
    first benefit: a municipality's benefits sit under it, so its operators (local role on the
    municipality) read and manage them, and the ATS's officers read them all."""
    folder = place.get(FOLDER_NAME)
    if folder is None:
        folder = BenefitFolder(title="Registro delle prestazioni", creator="sistema")
        place.add(FOLDER_NAME, folder, registry=registry)
    return folder


def municipality_in(district, istat):
    """The municipality of ``district`` with this ISTAT code (None for the ATS itself)."""
    if not istat:
        return None
    for child in district.values():
        if isinstance(child, Municipality) and child.istat_code == istat:
            return child
    raise InvalidBenefit(None, {"municipality": _("Il comune non appartiene all'Ambito.")})


def folders_of(district):
    """The ATS's register and each of its municipalities' (those that have one)."""
    own = district.get(FOLDER_NAME)
    if own is not None:
        yield own
    for child in district.values():
        if isinstance(child, Municipality):
            folder = child.get(FOLDER_NAME)
            if folder is not None:
                yield folder


def benefits_of(district):
    """Every benefit granted by the ATS or by one of its municipalities."""
    for folder in folders_of(district):
        for benefit in folder.values():
            if isinstance(benefit, Benefit):
                yield benefit


def ref(benefit):
    """What the social index keeps of a benefit: enough for the duplicate check to show it."""
    end = benefit.end if benefit.periodic else benefit.start
    return {"uid": benefit.uid, "path": resource_path(benefit), "service": benefit.service,
            "siuss_code": benefit.siuss_code, "title": benefit.title, "start": benefit.start,
            "end": end, "status": benefit.status, "granted_by": benefit.granted_by,
            "district": getattr(people.district_of(benefit), "code", "")}


def duplicates(root, fiscal_code, service, value, exclude_uid=None):
    """Benefits of the person in ``service`` whose period meets ``value`` (a ``Period``)."""
    refs = people.index(root).benefits_of(fiscal_code)
    return periods.overlapping(refs, service, value, exclude_uid)


def _amount(data, name, problems):
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        value = cents(Decimal(str(value).replace(",", ".")))
    except (InvalidOperation, ValueError):
        problems[name] = _("Importo non valido.")
        return None
    if value < 0:
        problems[name] = _("L'importo non può essere negativo.")
    return value


def _check(registry, data):
    """The checked values of a new benefit (``InvalidBenefit`` naming every wrong field)."""
    found = codes.code(registry, data.get("siuss_code"))
    value = periods.period(data.get("start"), data.get("end"), found.periodic)
    problems = {}
    amounts = {n: _amount(data, n, problems) for n in (
        "monthly_amount", "amount", "public_share", "user_share", "ssn_share")}
    means_test = str(data.get("means_test") or "4")
    if means_test not in MEANS_TESTS:
        problems["means_test"] = _("Prova dei mezzi non prevista.")
    source = data.get("source") or "other"
    if source not in SOURCES:
        problems["source"] = _("Origine della prestazione non prevista.")
    hours = data.get("hours_monthly")
    if hours not in (None, "") and (not isinstance(hours, int) or not 0 <= hours <= 999):
        problems["hours_monthly"] = _("Le ore mensili sono un numero intero tra 0 e 999.")
    protocol = (data.get("protocol") or "").strip()
    if not 1 <= len(protocol) <= 32:
        problems["protocol"] = _("Il protocollo della domanda è obbligatorio (al massimo 32 "
                                 "caratteri).")
    if problems:
        raise InvalidBenefit(None, problems)
    return found, value, amounts, means_test, source, protocol


def grant(district, person, data, who, registry=None, reason=None, municipality="", when=None):
    """Record a benefit of ``person`` granted by ``district`` (or one of its municipalities).

    ``DuplicateBenefit`` (with ``overlaps``) while an overlapping benefit of the same
    category exists and no ``reason`` is given.
    """
    found, value, amounts, means_test, source, protocol = _check(registry, data)
    place = municipality_in(district, municipality) or district
    overlaps = duplicates(district, person.fiscal_code, found.service, value)
    reason = " ".join((reason or "").split())
    if overlaps and not reason:
        raise DuplicateBenefit(overlaps=overlaps, fields={"reason": _(
            "Indicare il motivo per concedere comunque la prestazione.")})
    if len(reason) > REASON_MAX:
        raise InvalidBenefit(None, {"reason": _("Al massimo 1000 caratteri.")})
    when = when or utcnow()
    benefit = Benefit(
        title=data.get("title") or found.name, creator=who, source=source,
        person_uid=person.uid, fiscal_code=person.fiscal_code, login=person.login,
        municipality=municipality, granted_by=data.get("granted_by") or district.title,
        siuss_code=found.code, siuss_name=found.name, service=found.service,
        area=data.get("area") or found.user_area, periodic=found.periodic,
        start=value.start, end=value.end if found.periodic else None,
        months=periods.months(value) if found.periodic else None,
        means_test=means_test, isee=dict(data["isee"]) if data.get("isee") else None,
        protocol=protocol, application_uid=data.get("application_uid"),
        hours_monthly=data.get("hours_monthly") if data.get("hours_monthly") != "" else None,
        override_reason=reason if overlaps else "",
        overlaps=tuple({k: r[k] for k in ("path", "title", "start", "end", "granted_by")}
                       for r in overlaps),
        history=({"when": when, "who": who, "what": "grant", "reason": reason},),
        **amounts,
    )
    folder = folder_of(place, registry)
    folder.add(uuid.uuid4().hex[:12], benefit, registry=registry)
    people.index(district).put_benefit(person.fiscal_code, ref(benefit))
    if registry is not None:
        registry.notify(BenefitChanged(benefit, "grant", who))
    return benefit


def change_status(benefit, action, who, reason="", registry=None, when=None, end=None):
    """Suspend, resume, end (optionally on ``end``) or cancel a benefit."""
    moved = status.move(benefit.status, action)
    if action == "end" and isinstance(end, date) and benefit.periodic and end < benefit.start:
        # refused before anything changes
        raise InvalidBenefit(None, {"end": _("La fine è precedente all'inizio.")})
    benefit.status = moved
    if action == "end" and isinstance(end, date) and benefit.periodic:
        benefit.end = end
        benefit.months = periods.months(periods.Period(benefit.start, end))
    benefit.history = (*benefit.history, {"when": when or utcnow(), "who": who,
                                          "what": action, "reason": reason or ""})
    benefit.touch()
    people.index(benefit).put_benefit(benefit.fiscal_code, ref(benefit))
    if registry is not None:
        registry.notify(ObjectModified(benefit, fields=("status",)))
        registry.notify(BenefitChanged(benefit, action, who))
    return benefit
