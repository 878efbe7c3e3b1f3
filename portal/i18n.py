"""The translation domain: msgids are the Italian text shown by default."""
from translationstring import TranslationString

from content_types.i18n import _, joined, translated

__all__ = ["_", "joined", "translate"]


def translate(request, value):
    """``value`` in the request's language (a message, its nested messages too, or plain text)."""
    if isinstance(value, TranslationString):
        return translated(value, request.localizer.translate)
    return request.localizer.translate(value) if isinstance(value, str) else value
