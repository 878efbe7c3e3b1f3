"""The statuses of a benefit and the moves between them."""
from content_types.benefit import ACTIVE, CANCELLED, ENDED, SUSPENDED
from portal.i18n import _
from portal.register.rules.errors import BenefitStatusError

TITLES = {ACTIVE: _("In corso"), SUSPENDED: _("Sospesa"), ENDED: _("Conclusa"),
          CANCELLED: _("Annullata")}
#: action -> (allowed from, to)
MOVES = {
    "suspend": ((ACTIVE,), SUSPENDED),
    "resume": ((SUSPENDED,), ACTIVE),
    "end": ((ACTIVE, SUSPENDED), ENDED),
    "cancel": ((ACTIVE, SUSPENDED, ENDED), CANCELLED),
}
ACTION_TITLES = {"grant": _("concessa"), "suspend": _("sospesa"), "resume": _("ripresa"),
                 "end": _("conclusa"), "cancel": _("annullata")}


def move(current, action):
    """The status after ``action``, or ``BenefitStatusError`` saying the current one."""
    allowed, target = MOVES.get(action, ((), None))
    if current not in allowed:
        raise BenefitStatusError(
            _("La prestazione è «${status}»: l'operazione non è possibile.",
              mapping={"status": TITLES.get(current, current)}))
    return target
