"""The gettext domain ``portal``, for every package (those below ``portal`` may not import it).

Msgids are the Italian text; ``mapping`` fills the ``${name}`` placeholders. A mapping value
may itself be a message (the reason inside a refusal): ``translated`` translates it too.
"""
from translationstring import TranslationString

DOMAIN = "portal"


class Message(TranslationString):
    """A translation string whose text, outside a localizer, is the Italian with values filled in.

    ``str()``, f-strings and ``%s`` (logs, scripts, a message inside another one) read the
    interpolated default; lookups and pickles keep the msgid.
    """

    __slots__ = ()

    def __new__(cls, msgid, domain=None, default=None, mapping=None, context=None):
        if isinstance(msgid, TranslationString):  # copy the msgid, not its filled-in text
            mapping = {**(msgid.mapping or {}), **(mapping or {})} or None
            domain, default = domain or msgid.domain, default or msgid.default
            context, msgid = context or msgid.context, str.__str__(msgid)
        return super().__new__(cls, msgid, domain, default, mapping, context)

    def __str__(self):
        return interpolated(self)

    def __format__(self, spec):
        return format(str(self), spec)

    def __getstate__(self):
        return str.__str__(self), self.domain, self.default, self.mapping, self.context


def _(msgid, mapping=None, default=None, context=None):
    """A message of the ``portal`` domain (the name ``pot-create`` extracts)."""
    return Message(msgid, domain=DOMAIN, default=default, mapping=mapping, context=context)


def N_(msgid):  # noqa: N802 (gettext's name for a marker that translates nothing)
    """Mark a workflow title for ``pot-create``: it stays plain Italian text (history keeps it)."""
    return msgid


def joined(parts, separator=" "):
    """One message of ``parts`` (messages or plain text) joined by ``separator``."""
    parts = list(parts)
    names = [f"part{i}" for i in range(len(parts))]
    template = separator.join(f"${{{name}}}" for name in names)
    return Message(template, domain=DOMAIN, mapping=dict(zip(names, parts, strict=True)))


def translated(value, translate):
    """``value`` through ``translate`` (a localizer's), its message mapping values first."""
    if not isinstance(value, TranslationString):
        return value
    if value.mapping and any(isinstance(v, TranslationString) for v in value.mapping.values()):
        mapping = {k: translated(v, translate) for k, v in value.mapping.items()}
        value = Message(value, mapping=mapping)
    return translate(value)


def interpolated(value):
    """The Italian text of ``value`` with its placeholders filled (nested messages too)."""
    return translated(value, TranslationString.interpolate)
