"""What an officer typed in the queue's search box: a protocol, a codice fiscale or a name."""
import re
from dataclasses import dataclass

from portal.applications.rules.protocol import PATTERN as PROTOCOL

#: the shape of a codice fiscale (omocodia letters included), not its check character
FISCAL_CODE = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z]"
                         r"[0-9LMNPQRSTUV]{3}[A-Z]$")
MAX_LENGTH = 120

PROTOCOL_KIND, FISCAL_CODE_KIND, NAME_KIND = "protocol", "fiscal_code", "name"


@dataclass(frozen=True)
class Search:
    """``kind`` is one of the ``*_KIND`` names; ``value`` is normalised for exact matching."""

    kind: str
    value: str


def classify(text):
    """The search ``text`` means: None for an empty box."""
    text = (text or "").strip()[:MAX_LENGTH]
    if not text:
        return None
    compact = "".join(text.split()).upper()
    if PROTOCOL.match(compact):
        return Search(PROTOCOL_KIND, compact)
    if FISCAL_CODE.match(compact):
        return Search(FISCAL_CODE_KIND, compact)
    return Search(NAME_KIND, text)
