"""Abbinamento: the chosen provider accepts or declines; the entry's places follow.

The catalogue entry is reached only through these functions, which rely on the
entry's small public surface: ``district`` (ATS code), ``free_places``,
``take_place()``, ``release_place()`` and ``tariff_at(day, full_time)``.
"""
import workflows.application as wf
from content_types.values import cents
from portal.applications.rules.errors import BenefitError, EntryOtherDistrict, EntryUnavailable


def check_entry(entry, district_code):
    """Refuse an entry of another ATS or without free places (Italian messages)."""
    if entry is None:
        raise EntryUnavailable("Il servizio scelto non esiste più nel catalogo.",
                               {"catalogue_entry_path": "non trovato"})
    entry_district = getattr(entry, "district", None)
    if entry_district != district_code:
        raise EntryOtherDistrict(
            f"Il servizio «{entry.title}» appartiene a un altro Ambito ({entry_district or '—'}): "
            f"scegliere un servizio dell'Ambito {district_code}.",
            {"catalogue_entry_path": "altro ambito"})
    if (getattr(entry, "free_places", 0) or 0) <= 0:
        raise EntryUnavailable(
            f"Il servizio «{entry.title}» non ha più posti liberi: sceglierne un altro.",
            {"catalogue_entry_path": "nessun posto libero"})
    return entry


def entry_fee(entry, day, full_time):
    """The monthly fee of ``entry`` on ``day`` (Decimal, cents)."""
    fee = entry.tariff_at(day, full_time)
    if fee is None:
        raise BenefitError(f"Il servizio «{entry.title}» non ha una tariffa valida al "
                           f"{day:%d/%m/%Y}.", {"catalogue_entry_path": "tariffa"})
    return cents(fee)


def accept(application, entry, *, who, when, fire):
    """The provider confirms: a place is taken and the workflow moves to ``MATCHED``."""
    if getattr(entry, "uid", None) != application.catalogue_entry_uid:
        raise BenefitError("La domanda riguarda un altro servizio del catalogo.")
    if (getattr(entry, "free_places", 0) or 0) <= 0:
        raise EntryUnavailable(
            f"Il servizio «{entry.title}» non ha posti liberi: l'abbinamento non è possibile.")
    entry.take_place()
    application.match_decision = {"accepted": True, "who": who, "when": when, "reason": ""}
    fire(application, wf.MATCH, "")


def decline(application, *, who, when, reason, fire=None):
    """The provider declines: nothing is taken; the application waits for lapse (decadenza)."""
    reason = (reason or "").strip()
    if not reason:
        raise BenefitError("Indicare il motivo del rifiuto dell'abbinamento.",
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
