"""Exception root of the content package; ``portal`` maps these to HTTP."""


class ContentError(Exception):
    """Base for content errors; ``message`` is Italian, for users."""

    code = "content_error"

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotAddable(ContentError):
    code = "not_addable"


class NameInUse(ContentError):
    code = "name_in_use"


class InvalidName(ContentError):
    code = "invalid_name"


class UnknownContentType(ContentError):
    code = "unknown_content_type"
