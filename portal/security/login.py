"""Password login with growing delays after failures, the same answer for every login."""
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from content_types.users import DUMMY_HASH, User
from content_types.values import utcnow
from portal.errors import PortalError
from portal.i18n import _
from portal.security.throttle import Policy, key_for

WRONG = _("Nome utente o password non corretti.")
#: ``(one second, more seconds)``
WRONG_WAIT = (_("Nome utente o password non corretti. Riprovare tra un secondo."),
              _("Nome utente o password non corretti. Riprovare tra ${seconds} secondi."))
THROTTLED = (_("Accesso non riuscito: troppi tentativi con questo nome utente o da questo "
               "indirizzo. Riprovare tra un secondo."),
             _("Accesso non riuscito: troppi tentativi con questo nome utente o da questo "
               "indirizzo. Riprovare tra ${seconds} secondi."))


class LoginError(PortalError):
    code = "login_failed"
    default_message = WRONG

    def __init__(self, message=None, retry_after=None):
        super().__init__(message)
        #: seconds before the next attempt may succeed (None: try again now), for Retry-After
        self.retry_after = retry_after


def authenticate(users, login, password, throttle, address="", now=None, policy=None):
    """The user if ``password`` is right; raise ``LoginError`` otherwise.

    Whether the login exists changes neither the message nor the counters nor
    the work done: counters are kept by login string, a refused attempt checks
    no password at all, and a failed one always checks one hash.
    """
    now = now or utcnow()
    policy = policy or Policy()
    keys = [("login", key_for("login", login)), ("address", key_for("address", address))]
    wait = throttle.wait(keys, policy, now)
    if wait:
        raise LoginError(_waiting(THROTTLED, wait), retry_after=wait)
    user = users.get(login) if login else None
    if isinstance(user, User) and user.active:
        right = user.check_password(password)
    else:
        _burn(password)
        right = False
    if not right:
        throttle.failed(keys, policy, now)
        wait = throttle.wait(keys, policy, now)
        raise LoginError(_waiting(WRONG_WAIT, wait) if wait else WRONG, retry_after=wait or None)
    throttle.succeeded(keys[0][1])
    return user


def _waiting(messages, seconds):
    one, more = messages
    return one if seconds == 1 else _(more, mapping={"seconds": seconds})


def _burn(password):
    """Spend the time of one hash check so unknown logins answer as slowly."""
    try:
        PasswordHasher().verify(DUMMY_HASH, password or "")
    except VerificationError:
        pass
