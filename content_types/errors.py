"""Exception root of the content package, and the shape every error of the portal shares.

``ErrorBase`` lives here because ``content_types`` imports nothing of ours: the roots of
``workflows``, ``catalog`` and ``portal`` subclass it, and ``portal`` maps any of them to
HTTP by reading ``http_status`` (one exception view, HTML or JSON). Messages are
translation strings (Italian msgids with ``mapping``); the mapper translates them for the
request, and ``str(error)`` is the Italian text with the values filled in.
"""
from content_types.i18n import _, interpolated


class ErrorBase(Exception):
    """An error users see: ``code`` for machines, ``message`` (Italian) for users, per-field ``fields``."""

    code = "error"
    #: the HTTP status the portal's error mapper answers with
    http_status = 400
    #: the Italian message when the raiser gives none
    default_message = _("Operazione non riuscita.")
    #: seconds a client should wait before trying again (``Retry-After``), when it may
    retry_after = None

    def __init__(self, message=None, fields=None, *, code=None, **details):
        message = self.default_message if message is None else message
        super().__init__(interpolated(message))
        self.message = message
        if code is not None:
            self.code = code
        # a ``field`` detail names the one input at fault (a query parameter, say)
        field = details.get("field")
        self.fields = _fields(fields or ([field] if field else None), message)
        # the fields as raised stay readable among the details too
        self.details = details if fields is None else {**details, "fields": fields}


def _fields(fields, message):
    """A ``{field: message}`` dict from a dict, or from a list of field names."""
    if not fields:
        return {}
    if isinstance(fields, dict):
        return dict(fields)
    return {str(name): message for name in fields}


class ContentError(ErrorBase):
    """Base for content errors; ``message`` is Italian, for users."""

    code = "content_error"
    default_message = _("Operazione sul contenuto non riuscita.")


class NotAddable(ContentError):
    code = "not_addable"
    http_status = 422


class NameInUse(ContentError):
    code = "name_in_use"
    http_status = 409


class InvalidName(ContentError):
    code = "invalid_name"
    http_status = 422


class UnknownContentType(ContentError):
    code = "unknown_content_type"
    http_status = 422
