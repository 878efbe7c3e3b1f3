"""Password login with lockout after repeated failures."""
from datetime import timedelta

from content_types.base import utcnow
from content_types.users import DUMMY_HASH, User

from ..errors import PortalError

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


class LoginError(PortalError):
    code = "login_failed"
    default_message = "Nome utente o password non corretti."


def authenticate(users, login, password, now=None):
    """The user if ``password`` is right; raise ``LoginError`` otherwise.

    A locked account is refused even with the right password, and the error
    never tells whether the login exists.
    """
    now = now or utcnow()
    user = users.get(login) if login else None
    if not isinstance(user, User) or not user.active:
        _burn(password)
        raise LoginError("Nome utente o password non corretti.")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginError(
            "Account bloccato per troppi tentativi falliti. "
            f"Riprovare tra {minutes} minuti o contattare l'amministratore."
        )
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            raise LoginError(
                "Account bloccato per troppi tentativi falliti: riprovare tra "
                f"{int(LOCKOUT.total_seconds() // 60)} minuti."
            )
        raise LoginError("Nome utente o password non corretti.")
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
    return user


def _burn(password):
    """Spend the time of one hash check so unknown logins answer as slowly."""
    from argon2 import PasswordHasher  # noqa: PLC0415
    from argon2.exceptions import VerificationError  # noqa: PLC0415

    try:
        PasswordHasher().verify(DUMMY_HASH, password or "")
    except VerificationError:
        pass
