"""Which two versions of a plan a person compares: read from the query, each one they may see.

A version the person may not see is answered exactly like one that does not exist, so the
comparison never tells an outsider that a draft is there.
"""
import re

from portal.i18n import _
from portal.plans import store
from portal.plans.rules import diff
from portal.plans.rules.errors import PlanError

NUMBER = re.compile(r"^[0-9]{1,6}$")


class BadComparison(PlanError):
    code = "bad_comparison"
    http_status = 400
    default_message = _("Indicare due versioni diverse del piano da confrontare, ad esempio "
                        "?da=1&a=2.")


class VersionNotFound(PlanError):
    code = "version_not_found"
    http_status = 404
    default_message = _("La versione indicata non esiste in questo piano.")


def number_of(text, field):
    """The version number a person typed; a 400 naming ``field`` when it is not one."""
    text = (text or "").strip()
    if not NUMBER.match(text) or int(text) < 1:
        raise BadComparison(
            _("«${text}» non è un numero di versione: indicare un numero intero, ad esempio 1.",
              mapping={"text": text[:20]}), {field: "non valido"})
    return int(text)


def chosen(plan, older, newer, allowed):
    """(older, newer) versions: the ones asked (``da``, ``a`` texts), else the last two the
    person may see; None when fewer than two are there to compare."""
    if not older and not newer:
        seen = [v for v in store.versions_of(plan) if allowed(v)]
        return tuple(seen[-2:]) if len(seen) >= 2 else None
    if not older or not newer:
        raise BadComparison(_("Indicare entrambe le versioni da confrontare: ?da=1&a=2."),
                            {"da" if not older else "a": "obbligatorio"})
    first, second = number_of(older, "da"), number_of(newer, "a")
    if first == second:
        raise BadComparison(_("Le due versioni da confrontare sono la stessa (${number}): "
                              "sceglierne due diverse.", mapping={"number": first}),
                            {"a": "uguale a da"})
    return _visible(plan, first, "da", allowed), _visible(plan, second, "a", allowed)


def _visible(plan, number, field, allowed):
    found = store.version(plan, number)
    if found is None or not allowed(found):
        raise VersionNotFound(_("La versione ${number} non esiste in questo piano.",
                                mapping={"number": number}), {field: "non trovata"})
    return found


def compare(older, newer):
    """(``rules.diff.PlanDiff`` from ``older`` to ``newer``, the two as ``model.Plan``)."""
    before, after = store.as_plan(older), store.as_plan(newer)
    return diff.diff(before, after), before, after
