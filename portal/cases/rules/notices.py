"""What the case manager is told when something changes for a person in care (pure).

Special-category data never leaves by e-mail: the title and the body say only that a case
changed (the e-mail carries them and the link); who and what are in ``details``, which the
inbox shows in the portal only.
"""
from dataclasses import dataclass

from content_types.i18n import interpolated
from content_types.values import format_date
from portal.i18n import _
from portal.notifications.rules import Note

# kinds of notification (portal.notifications.rules.KIND_TITLES shows them)
CASE_CHANGE, REVIEW_MISSED = "cartella_aggiornata", "verifica_pai_scaduta"
APPLICATION, ISEE, HOUSEHOLD, BENEFIT = "application", "isee", "household", "benefit"
BENEFIT_ACTIONS = ("grant", "suspend", "resume", "end", "cancel")
TITLES = {
    APPLICATION: _("Cartella sociale: nuova domanda"),
    ISEE: _("Cartella sociale: ISEE cambiato"),
    HOUSEHOLD: _("Cartella sociale: nucleo familiare cambiato"),
    BENEFIT: _("Cartella sociale: prestazione cambiata"),
    REVIEW_MISSED: _("Cartella sociale: verifica del PAI non svolta"),
}
BODY = _("C'è una novità in una cartella sociale di cui è case manager. I dettagli sono "
         "nel messaggio sul portale, che porta alla cartella.")


@dataclass(frozen=True)
class CaseFacts:
    """What the rules know of the case: its uid, the person's name, the case manager."""

    uid: str
    person: str
    manager: str


def _note(facts, what, key, detail, kind=CASE_CHANGE):
    return Note(recipient=facts.manager, kind=kind, key=key, title=TITLES[what], body=BODY,
                details=f"{facts.person}: {interpolated(detail)}")


def application_note(facts, protocol, call_title, application_uid, role):
    """``role``: beneficiary or applicant (the person's part in the application)."""
    detail = (_("presentata una domanda di cui è beneficiario/a (${protocol}, «${call}»).",
                mapping={"protocol": protocol or "—", "call": call_title or "—"})
              if role == "beneficiary" else
              _("presentata una domanda come richiedente (${protocol}, «${call}»).",
                mapping={"protocol": protocol or "—", "call": call_title or "—"}))
    return _note(facts, APPLICATION, f"cartella:{facts.uid}:domanda:{application_uid}", detail)


def person_note(facts, what, stamp, details=None):
    """An ISEE or household change (``stamp`` makes one note per change)."""
    details = details or {}
    if what == ISEE:
        isee = details.get("isee") or {}
        value = isee.get("value") if isinstance(isee, dict) else None
        detail = (_("nuovo ISEE di ${value} euro.", mapping={"value": value})
                  if value not in (None, "") else _("ISEE aggiornato."))
    else:
        code = details.get("household") or ""
        detail = (_("ora fa parte del nucleo ${code}.", mapping={"code": code}) if code
                  else _("non fa più parte del suo nucleo familiare."))
    return _note(facts, what, f"cartella:{facts.uid}:{what}:{stamp}", detail)


def household_member_note(facts, member, joined, stamp):
    """Someone joined or left the household of the person in care."""
    detail = (_("${member} è entrato/a nel nucleo familiare.", mapping={"member": member})
              if joined else
              _("${member} è uscito/a dal nucleo familiare.", mapping={"member": member}))
    return _note(facts, HOUSEHOLD, f"cartella:{facts.uid}:{HOUSEHOLD}:{stamp}", detail)


def _benefit_detail(action, title):
    mapping = {"title": title}
    if action == "suspend":
        return _("sospesa la prestazione «${title}».", mapping=mapping)
    if action == "resume":
        return _("ripresa la prestazione «${title}».", mapping=mapping)
    if action == "end":
        return _("conclusa la prestazione «${title}».", mapping=mapping)
    if action == "cancel":
        return _("annullata la prestazione «${title}».", mapping=mapping)
    return _("concessa la prestazione «${title}».", mapping=mapping)


def benefit_note(facts, action, title, benefit_uid, step):
    detail = _benefit_detail(action, title)
    return _note(facts, BENEFIT, f"cartella:{facts.uid}:prestazione:{benefit_uid}:{step}",
                 detail)


def review_note(facts, day):
    """A PAI review due on ``day`` not marked done: once per case and day."""
    detail = _("la verifica del PAI prevista il ${day} non risulta svolta.",
               mapping={"day": format_date(day)})
    return _note(facts, REVIEW_MISSED, f"cartella:{facts.uid}:verifica:{day.isoformat()}",
                 detail, kind=REVIEW_MISSED)
