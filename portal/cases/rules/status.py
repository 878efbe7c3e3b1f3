"""The status of a case file: opened at the front desk, taken in charge, closed, reopened."""
from portal.cases.rules.errors import CaseStatusError
from portal.i18n import _

OPEN, IN_CHARGE, CLOSED = "open", "in_charge", "closed"
TITLES = {OPEN: _("Aperta"), IN_CHARGE: _("In carico"), CLOSED: _("Chiusa")}
MOVES = {
    "take_charge": ((OPEN,), IN_CHARGE),
    "close": ((OPEN, IN_CHARGE), CLOSED),
    "reopen": ((CLOSED,), OPEN),
}


def move(current, action):
    allowed, target = MOVES.get(action, ((), None))
    if current not in allowed:
        raise CaseStatusError(_("La cartella è «${status}»: l'operazione non è possibile.",
                                mapping={"status": TITLES.get(current, current)}))
    return target


def in_care(case):
    """A person is *in care* (presa in carico) while their case is taken in charge."""
    return case is not None and case.status == IN_CHARGE
