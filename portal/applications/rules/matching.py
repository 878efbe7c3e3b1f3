"""Abbinamento: the chosen provider accepts or declines; the entry's places follow.

The catalogue entry is reached only through these functions, which rely on the
entry's small public surface: ``district`` (ATS code), ``free_places``,
``take_place()``, ``release_place()`` and ``tariff_at(day, full_time)``.
"""
import workflows.application as wf
from content_types.values import cents
from portal.applications.rules.errors import BenefitError, EntryOtherDistrict, EntryUnavailable
from portal.i18n import _


def check_entry(entry, district_code):
    """Refuse an entry of another ATS or without free places (Italian messages)."""
    if entry is None:
        raise EntryUnavailable(_("Il servizio scelto non esiste più nel catalogo."),
                               {"catalogue_entry_path": "non trovato"})
    entry_district = getattr(entry, "district", None)
    if entry_district != district_code:
        raise EntryOtherDistrict(
            _("Il servizio «${title}» appartiene a un altro Ambito (${entry_district}): scegliere un "
              "servizio dell'Ambito ${district_code}.",
              mapping={"title": entry.title, "entry_district": entry_district or "—",
                       "district_code": district_code}),
            {"catalogue_entry_path": "altro ambito"})
    if (getattr(entry, "free_places", 0) or 0) <= 0:
        raise EntryUnavailable(
            _("Il servizio «${title}» non ha più posti liberi: sceglierne un altro.",
              mapping={"title": entry.title}),
            {"catalogue_entry_path": "nessun posto libero"})
    return entry


def entry_fee(entry, day, full_time):
    """The monthly fee of ``entry`` on ``day`` (Decimal, cents)."""
    fee = entry.tariff_at(day, full_time)
    if fee is None:
        raise BenefitError(_("Il servizio «${title}» non ha una tariffa valida al ${day}.",
                             mapping={"title": entry.title, "day": format(day, "%d/%m/%Y")}),
                           {"catalogue_entry_path": "tariffa"})
    return cents(fee)


def accept(application, entry, *, who, when, fire):
    """The provider confirms: a place is taken and the workflow moves to ``MATCHED``."""
    if getattr(entry, "uid", None) != application.catalogue_entry_uid:
        raise BenefitError(_("La domanda riguarda un altro servizio del catalogo."))
    if (getattr(entry, "free_places", 0) or 0) <= 0:
        raise EntryUnavailable(
            _("Il servizio «${title}» non ha posti liberi: l'abbinamento non è possibile.",
              mapping={"title": entry.title}))
    entry.take_place()
    application.match_decision = {"accepted": True, "who": who, "when": when, "reason": ""}
    fire(application, wf.MATCH, "")


def decline(application, *, who, when, reason, fire=None):
    """The provider declines: nothing is taken; the application waits for lapse (decadenza)."""
    reason = (reason or "").strip()
    if not reason:
        raise BenefitError(_("Indicare il motivo del rifiuto dell'abbinamento."),
                           {"reason": "obbligatorio"})
    application.match_decision = {"accepted": False, "who": who, "when": when, "reason": reason}
    if fire is not None:
        fire(application, wf.LAPSE, reason)


def release(application, entry):
    """Give the place back when a matched application ends early (withdrawal, revocation)."""
    decision = application.match_decision or {}
    if decision.get("accepted") and not decision.get("released"):
        entry.release_place()
        application.match_decision = {**decision, "released": True}
        return True
    return False
