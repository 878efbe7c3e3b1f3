"""Households: the generated code and the relationships of their members.

The household code (*codice famiglia*) is generated here and kept by the registry; an
application reads it from the registry instead of having it typed. It is random, not a
counter (no two writers ever collide on it), in Crockford's base 32 with a check character so
that a code read over the phone with one character wrong is recognised as wrong.
"""
from portal.i18n import _
from portal.people.rules.errors import InvalidPersonData

PREFIX = "NF-"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8

HEAD = "head"
#: relationship id -> Italian title (to the household's head, like the registry office's)
RELATIONSHIPS = {
    HEAD: _("Intestatario"),
    "spouse": _("Coniuge o unito civilmente"),
    "partner": _("Convivente"),
    "child": _("Figlio o figlia"),
    "parent": _("Genitore"),
    "sibling": _("Fratello o sorella"),
    "grandchild": _("Nipote"),
    "other_relative": _("Altro parente"),
    "other": _("Altra persona convivente"),
}


def _check_char(body):
    return _ALPHABET[sum((i + 1) * _ALPHABET.index(c) for i, c in enumerate(body)) % 32]


def new_code(random_bytes):
    """A code from ``BODY_LENGTH`` random bytes (``secrets.token_bytes`` in the service)."""
    body = "".join(_ALPHABET[b % 32] for b in random_bytes[:BODY_LENGTH])
    return PREFIX + body + _check_char(body)


def is_valid_code(code):
    code = (code or "").strip().upper()
    body = code[len(PREFIX):-1]
    return (code.startswith(PREFIX) and len(body) == BODY_LENGTH
            and all(c in _ALPHABET for c in body) and code[-1] == _check_char(body))


def check_relationship(value):
    if value not in RELATIONSHIPS:
        raise InvalidPersonData(None, {"relationship": _("Relazione di parentela non prevista.")})
    return value


def check_members(members):
    """A household has one head, and nobody twice."""
    codes = [m["fiscal_code"] for m in members]
    if len(codes) != len(set(codes)):
        raise InvalidPersonData(None, {"members": _("Una persona compare due volte nel nucleo.")})
    heads = sum(1 for m in members if m["relationship"] == HEAD)
    if members and heads != 1:
        raise InvalidPersonData(None, {"members": _("Il nucleo ha un solo intestatario.")})
