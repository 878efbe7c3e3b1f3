"""The individual plan (*PAI*): goals, interventions, who is responsible, review dates.

Pure: the view parses the days; ``missed`` is what the review pass tells the case manager.
"""
from datetime import date

from portal.cases.rules.errors import InvalidCaseData
from portal.i18n import _

TEXT_MAX = 4_000
MAX_ROWS = 30


def check(*, goals, interventions, responsible, reviews, done_reviews=()):
    """The PAI dict to store: ``interventions`` as (what, who) pairs, ``reviews`` as dates."""
    problems = {}
    goals = (goals or "").strip()
    if not goals:
        problems["goals"] = _("Indicare gli obiettivi del progetto.")
    elif len(goals) > TEXT_MAX:
        problems["goals"] = _("Al massimo 4000 caratteri.")
    rows = []
    for raw_what, raw_who in interventions:
        what, who = (raw_what or "").strip(), (raw_who or "").strip()
        if not what and not who:
            continue
        if not what:
            problems["interventions"] = _("Ogni intervento indica che cosa si fa.")
        elif len(what) > TEXT_MAX or len(who) > 200:
            problems["interventions"] = _("Testo dell'intervento troppo lungo.")
        rows.append({"what": what, "who": who})
    if not rows and "interventions" not in problems:
        problems["interventions"] = _("Indicare almeno un intervento.")
    if len(rows) > MAX_ROWS:
        problems["interventions"] = _("Al massimo 30 interventi.")
    if not (responsible or "").strip():
        problems["responsible"] = _("Indicare il responsabile del progetto.")
    if any(not isinstance(d, date) for d in reviews):
        problems["reviews"] = _("Date di verifica non valide (GG/MM/AAAA).")
    days = sorted({d for d in reviews if isinstance(d, date)})
    if not days and "reviews" not in problems:
        problems["reviews"] = _("Indicare almeno una data di verifica.")
    if len(days) > MAX_ROWS:
        problems["reviews"] = _("Al massimo 30 date di verifica.")
    if problems:
        raise InvalidCaseData(None, problems)
    return {"goals": goals, "interventions": tuple(rows), "responsible": responsible.strip(),
            "reviews": tuple(days),
            "done_reviews": tuple(d for d in done_reviews if d in days)}


def mark_done(pai, day):
    """The PAI with the review of ``day`` done; refused for a day that is not a review."""
    pai = dict(pai or {})
    if day not in tuple(pai.get("reviews", ())):
        raise InvalidCaseData(None, {"review": _("Questa data di verifica non è nel PAI.")})
    pai["done_reviews"] = tuple(sorted({*pai.get("done_reviews", ()), day}))
    return pai


def missed(pai, today):
    """The review days before ``today`` not marked done, oldest first."""
    done = set((pai or {}).get("done_reviews", ()))
    return [d for d in (pai or {}).get("reviews", ()) if d < today and d not in done]
