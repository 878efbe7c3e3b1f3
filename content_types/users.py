"""Principals: users and groups, stored in ZODB under ``/utenti``."""
import secrets

import colander
import deform.widget
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL

from content_types.base import Container, Content
from content_types.registry import content_type
from content_types.schemas import strip
from content_types.security import ADMIN, ROLES, Allow, role
from content_types.validators import fiscal_code, normalize_code

_hasher = PasswordHasher()
#: a hash to verify against when the user does not exist, so that timing
#: does not reveal which logins exist
DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
MIN_PASSWORD_LENGTH = 10

ASSIGNABLE_ROLES = tuple((name, title) for name, title in ROLES.items() if name != "owner")


def password_strength(node, value):
    if value and len(value) < MIN_PASSWORD_LENGTH:
        raise colander.Invalid(
            node, f"La password deve avere almeno {MIN_PASSWORD_LENGTH} caratteri."
        )


class UserSchema(colander.MappingSchema):
    title = colander.SchemaNode(
        colander.String(), title="Nome e cognome", preparer=strip,
        validator=colander.Length(min=1, max=200, min_err="Il nome è obbligatorio."),
    )
    email = colander.SchemaNode(
        colander.String(), title="E-mail", preparer=strip,
        validator=colander.Email("Indirizzo e-mail non valido."),
    )
    fiscal_code = colander.SchemaNode(
        colander.String(), title="Codice fiscale", missing="",
        preparer=normalize_code,
        validator=colander.All(fiscal_code),
    )
    roles = colander.SchemaNode(
        colander.Set(), title="Ruoli globali", missing=(),
        widget=deform.widget.CheckboxChoiceWidget(values=ASSIGNABLE_ROLES),
        validator=colander.ContainsOnly([name for name, _ in ASSIGNABLE_ROLES]),
    )
    groups = colander.SchemaNode(
        colander.Set(), title="Gruppi", missing=(),
        description="Nomi dei gruppi, separati da virgola",
        widget=deform.widget.TextInputCSVWidget(),
    )
    password = colander.SchemaNode(
        colander.String(), title="Nuova password", missing="",
        description="Lasciare vuoto per non cambiarla.",
        widget=deform.widget.CheckedPasswordWidget(),
        validator=password_strength,
    )


@content_type("UserFolder", title="Utenti", addable_to=(), listable=False)
class UserFolder(Container):
    """``/utenti``: only administrators may see or change it."""

    type_name = "UserFolder"
    description = ""
    __acl__ = ((Allow, role(ADMIN), ALL_PERMISSIONS), DENY_ALL)


@content_type(
    "User", title="Utente", title_plural="Utenti", schema=UserSchema,
    addable_to=("UserFolder",), catalog_attributes=("title",),
)
class User(Content):
    """A person who logs in. Never store the password, only its argon2 hash."""

    type_name = "User"
    #: reading it as someone else is logged (GDPR accountability)
    personal_data = True
    email = ""
    fiscal_code = ""
    roles = ()
    groups = ()
    password_hash = None
    active = True
    #: changes on password change so that existing sessions stop working
    auth_token = ""

    @property
    def login(self):
        return self.__name__

    @property
    def data_subject(self):
        """Whose personal data this is: reads by anyone else are audited."""
        return self.__name__

    def set_password(self, password):
        self.password_hash = _hasher.hash(password)
        self.auth_token = secrets.token_hex(16)

    def check_password(self, password):
        if not self.password_hash:
            return False
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def get_data(self, names):
        data = {name: getattr(self, name, None) for name in names}
        data["password"] = ""
        data["roles"] = set(self.roles)
        data["groups"] = set(self.groups)
        return data

    def set_data(self, data):
        data = dict(data)
        password = data.pop("password", "")
        if "roles" in data:
            data["roles"] = tuple(sorted(data["roles"]))
        if "groups" in data:
            data["groups"] = tuple(sorted(g.strip() for g in data["groups"] if g.strip()))
        for key, value in data.items():
            setattr(self, key, value)
        if password:
            self.set_password(password)


class GroupSchema(colander.MappingSchema):
    title = colander.SchemaNode(
        colander.String(), title="Nome del gruppo", preparer=strip,
        validator=colander.Length(min=1, max=200),
    )
    description = colander.SchemaNode(
        colander.String(), title="Descrizione", missing="", preparer=strip,
        validator=colander.Length(max=2000),
    )


@content_type(
    "Group", title="Gruppo", title_plural="Gruppi", schema=GroupSchema,
    addable_to=("UserFolder",),
)
class Group(Content):
    type_name = "Group"
    description = ""
