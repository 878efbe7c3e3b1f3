"""The social evaluation sheet (*scheda di valutazione sociale*): pure checks, dict out.

A sheet about a dependent person carries the SINA fields (``sina.check``); the others do not.
"""
from datetime import date

from portal.cases.rules import sina
from portal.cases.rules.errors import InvalidCaseData
from portal.i18n import _

SUMMARY_MAX = 10_000
NEEDS_MAX = 4_000


def check(*, day, summary, needs, dependent, who, sina_values=None, sina_needs=(),
          invalidity=(), known_codes=()):
    """The assessment dict to store; ``InvalidCaseData`` naming every field at fault."""
    problems = {}
    summary, needs = (summary or "").strip(), (needs or "").strip()
    if not isinstance(day, date):
        problems["day"] = _("Indicare la data della valutazione (GG/MM/AAAA).")
    if not summary:
        problems["summary"] = _("La sintesi della valutazione è obbligatoria.")
    elif len(summary) > SUMMARY_MAX:
        problems["summary"] = _("Al massimo 10.000 caratteri.")
    if len(needs) > NEEDS_MAX:
        problems["needs"] = _("Al massimo 4000 caratteri.")
    found = None
    if dependent:
        try:
            found = sina.check(sina_values or {}, sina_needs, invalidity, known_codes)
        except InvalidCaseData as exc:
            problems.update({f"sina.{k}" if k in sina.FIELDS else f"sina_{k}": v
                             for k, v in exc.fields.items()})
    if problems:
        raise InvalidCaseData(None, problems)
    sheet = {"day": day, "who": who, "summary": summary, "needs": needs,
             "dependent": bool(dependent)}
    if found is not None:
        sheet["sina"] = found
    return sheet
