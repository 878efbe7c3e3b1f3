"""Events of the security layer, sent with ``registry.notify`` for the features to react to."""


class LoggedIn:
    """``user`` logged in (by password) on the portal ``root``: a feature may link the account
    (the social registry finds the person with the same codice fiscale)."""

    def __init__(self, user, root):
        self.user = user
        self.root = root
