"""Who is told what when a zone plan moves: the Region when an ATS sends it, the ATS's officers
when the Region returns or approves it (pure: facts in, ``notifications.rules.Note`` out).

The Region's own words (the general comment, the notes per section) go in ``details``: shown
in the portal, never put in the e-mail.
"""
from dataclasses import dataclass

from content_types.i18n import joined
from portal.i18n import _
from portal.notifications.rules import Note
from portal.plans.rules import model
from workflows import zone_plan as workflow

# kinds of notification (stored, shown as a label: portal.notifications.rules.KIND_TITLES)
SENT, RETURNED, APPROVED = "piano_inviato", "piano_restituito", "piano_approvato"
#: the transitions someone is told about
WATCHED = (workflow.SUBMIT, workflow.RETURN, workflow.APPROVE)


@dataclass(frozen=True)
class PlanFacts:
    """What the rules know of one plan version, read from the tree by the service."""

    uid: str
    district: str  # the ATS's title
    period: str  # «2025-2027»
    number: int  # the version
    ats_officers: tuple = ()  # logins holding the officer's role on the ATS
    region_officers: tuple = ()  # logins of the Region's officers
    notes: tuple = ()  # ((section, text), …) the Region's notes of a return
    comment: str = ""  # the workflow comment (the Region's general comment of a return)
    round: int = 0  # how many times this transition happened to the version so far


def _details(facts):
    parts = [facts.comment] if facts.comment else []
    parts += [f"{model.SECTION_TITLES[s].interpolate()}: {text}" for s, text in facts.notes
              if s in model.SECTION_TITLES]
    return "\n\n".join(parts)


def plan_notes(transition, facts):
    """The notes ``transition`` on a plan version gives rise to."""
    mapping = {"district": facts.district, "period": facts.period, "number": str(facts.number)}
    if transition == workflow.SUBMIT:
        return [Note(
            recipient=r, kind=SENT, key=f"piano-inviato:{facts.uid}:{facts.round}",
            title=_("Piano di zona ${period} di ${district} da esaminare", mapping=mapping),
            body=_("${district} ha inviato alla Regione la versione ${number} del piano "
                   "sociale di zona ${period}: è in attesa di esame.", mapping=mapping),
            target_view="esame", target_permission=workflow.REVIEW)
            for r in facts.region_officers]
    if transition == workflow.RETURN:
        sections = [model.SECTION_TITLES[s] for s, _text in facts.notes
                    if s in model.SECTION_TITLES]
        body = (_("La Regione ha restituito per modifiche la versione ${number} del piano "
                  "sociale di zona ${period}, con note sulle sezioni: ${sections}. Le note "
                  "sono indicate nel messaggio e nella pagina del piano; correggere e inviare "
                  "di nuovo.", mapping={**mapping, "sections": joined(sections, "; ")})
                if sections else
                _("La Regione ha restituito per modifiche la versione ${number} del piano "
                  "sociale di zona ${period}: il commento è indicato nel messaggio sul "
                  "portale; correggere e inviare di nuovo.", mapping=mapping))
        return [Note(
            recipient=r, kind=RETURNED, key=f"piano-restituito:{facts.uid}:{facts.round}",
            title=_("Piano di zona ${period} restituito per modifiche", mapping=mapping),
            body=body, details=_details(facts)) for r in facts.ats_officers]
    if transition == workflow.APPROVE:
        return [Note(
            recipient=r, kind=APPROVED, key=f"piano-approvato:{facts.uid}",
            title=_("Piano di zona ${period} approvato", mapping=mapping),
            body=_("La Regione ha approvato la versione ${number} del piano sociale di zona "
                   "${period}: il piano è pubblico e non si modifica più; per cambiarlo si "
                   "crea una nuova versione dalla pagina del piano.", mapping=mapping))
            for r in facts.ats_officers]
    return []
