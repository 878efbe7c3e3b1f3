"""The ATS officer's istruttoria as plain writes: the checklist record and the ineligibility decision."""
import workflows.application as wf
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.matching import release
from portal.i18n import _

CHECKLIST = {
    "identita": _("Identità del richiedente verificata"),
    "residenza": _("Residenza nell'Ambito verificata"),
    "isee": _("Attestazione ISEE verificata"),
    "allegati": _("Allegati completi e leggibili"),
}
#: reasons of ineligibility (the workflow comment keeps the Italian text)
REASONS = {
    "requisiti": _("Requisiti dell'avviso non posseduti"),
    "isee": _("ISEE non conforme"),
    "documenti": _("Documentazione incompleta o non integrata nei termini"),
    "residenza": _("Residenza fuori dall'Ambito"),
    "altro": _("Altro motivo (vedere il testo)"),
}
MAX_NOTES = 4000


def record_checklist(application, ticked, notes, *, who, when):
    """Keep the ticked checks (known ones, in the checklist's order) and the officer's notes."""
    application.review = {**(application.review or {}),
                          "checklist": [k for k in CHECKLIST if k in set(ticked)],
                          "notes": (notes or "").strip()[:MAX_NOTES], "who": who, "when": when}
    application.touch()


def ineligibility_comment(codes, text):
    """The workflow comment: the reasons' Italian titles (the msgids), then the officer's text."""
    return "; ".join(str(REASONS[c]) for c in codes) + (f". {text}" if text else ".")


def declare_ineligible(application, codes, text, *, who, when, entry, fire):
    """Record the decision, fire ``declare_ineligible`` and give the place back; a reason is required."""
    codes = [c for c in codes if c in REASONS]
    text = (text or "").strip()
    if not codes:
        raise BenefitError(_("Indicare almeno un motivo di non ammissibilità."),
                           {"motivo": "obbligatorio"})
    comment = ineligibility_comment(codes, text)
    application.decision = {"outcome": wf.INELIGIBLE, "reason_codes": tuple(codes),
                            "reason_text": text, "who": who, "when": when}
    fire(application, wf.DECLARE_INELIGIBLE, comment)
    if entry is not None:
        release(application, entry)
    return comment
