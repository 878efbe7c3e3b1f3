"""The one way the API reads a JSON body: strict, bounded, never a 5xx.

Python's ``json`` accepts ``NaN``/``Infinity``, numbers of thousands of digits,
duplicate keys and lone surrogates, and overflows the stack on deep nesting;
each of those is refused here with a 4xx before anything reaches a schema.
"""
import json
import math

from portal.i18n import _
from portal.web.api.errors import InvalidJSON, JSONObjectRequired, PayloadTooLarge, UnsupportedMediaType

#: a JSON body bigger than this is refused (uploads use multipart, not JSON)
MAX_BYTES = 1024 * 1024
#: objects and arrays nested deeper than this are refused (our schemas need 2 or 3)
MAX_DEPTH = 32
#: integers with more digits than this are refused (no field needs more than 20)
MAX_INT_DIGITS = 30


class _Refused(InvalidJSON):
    """Raised from the parser hooks; carries the Italian reason (an ``InvalidJSON`` if it escapes)."""


def _constant(name):
    raise _Refused(_("Valore numerico non ammesso: ${value} (solo numeri finiti).",
                     mapping={"value": name}))


def _integer(text):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(_("Numero troppo grande (più di ${max} cifre).",
                         mapping={"max": MAX_INT_DIGITS}))
    return int(text)


def _float(text):
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(_("Numero fuori dall'intervallo ammesso: ${value}.",
                         mapping={"value": text[:40]}))
    return value


def _object(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused(_("Lo stesso campo compare più volte nell'oggetto JSON."))
    return result


def _check_tree(value):
    """Depth and text of every node, without recursion (the tree may be deep)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                raise _Refused(_("JSON annidato troppo in profondità (al massimo ${max} livelli).",
                                 mapping={"max": MAX_DEPTH}))
            children = list(node.items()) if isinstance(node, dict) else [(None, v) for v in node]
            for key, child in children:
                if key is not None:
                    _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(node, str):
            _check_text(node)


def _check_text(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _Refused(_("Il testo contiene caratteri non validi (surrogati isolati).")) from None


def _media_type(request):
    header = request.headers.get("Content-Type", "")
    media, _sep, params = header.partition(";")
    media = media.strip().lower()
    charset = None
    for param in params.split(";"):
        key, _eq, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media, charset


def parse(raw):
    """The JSON value of ``raw`` bytes, or ``InvalidJSON`` saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidJSON(_("Il corpo della richiesta non è testo UTF-8 valido.")) from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_int=_integer,
                           parse_float=_float, object_pairs_hook=_object)
        _check_tree(value)
    except _Refused as exc:
        raise InvalidJSON(exc.message) from None
    except RecursionError:
        raise InvalidJSON(_("JSON annidato troppo in profondità (al massimo ${max} livelli).",
                            mapping={"max": MAX_DEPTH})) from None
    except ValueError:
        raise InvalidJSON(_("Il corpo della richiesta non è JSON valido.")) from None
    return value


def json_body(request):
    """The request's JSON object; refuses wrong media types, sizes and values."""
    media, charset = _media_type(request)
    if media != "application/json" or charset not in (None, "utf-8"):
        raise UnsupportedMediaType(
            _("Il corpo della richiesta deve essere JSON (Content-Type: application/json, "
              "codifica UTF-8)."))
    length = request.content_length
    if length is not None and length > MAX_BYTES:
        raise PayloadTooLarge(_("Il corpo JSON supera il limite di ${max} byte.",
                                mapping={"max": MAX_BYTES}))
    raw = request.body
    if len(raw) > MAX_BYTES:
        raise PayloadTooLarge(_("Il corpo JSON supera il limite di ${max} byte.",
                                mapping={"max": MAX_BYTES}))
    body = parse(raw)
    if not isinstance(body, dict):
        raise JSONObjectRequired(_("Il corpo della richiesta deve essere un oggetto JSON."))
    return body
