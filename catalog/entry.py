"""What the catalog stores about one object: the same dict for both backends."""
import hashlib
from datetime import datetime

from catalog.analysis import WORD, analyze, fold
from catalog.query import to_micros
from content_types.base import Container
from content_types.security import VIEW, VIEW_PERSONAL_DATA, principals_allowed

DEFAULT_TEXT_ATTRIBUTES = ("title", "description", "body")
#: the stored (non-text) fields, in the order of the embedded metadata tuple
STORED = ("uid", "path", "type_name", "title", "state", "district", "municipality",
          "year", "created", "modified")


def resource_path(obj):
    """``/ambiti/ba-01``: names from the root down ("/" for the root)."""
    names = []
    while obj is not None and getattr(obj, "__parent__", None) is not None:
        names.append(obj.__name__)
        obj = obj.__parent__
    return "/" + "/".join(reversed(names))


def _ancestors(obj):
    node = getattr(obj, "__parent__", None)
    while node is not None:
        yield node
        node = getattr(node, "__parent__", None)


def docid_for(uid, created=None):
    """The docid: creation time in microseconds, else 52 bits of ``uid``.

    Both backends break sort ties on it. Increasing numbers keep BTree writes
    in the last buckets (random ids made every commit rewrite thousands).
    """
    return created if created is not None else int(uid[:13], 16)


def text_attributes(obj, content_registry=None):
    info = content_registry.info_for(obj) if content_registry is not None else None
    return info.catalog_attributes if info is not None else DEFAULT_TEXT_ATTRIBUTES


def object_text(obj, content_registry=None):
    """The raw text indexed for ``obj``: its type's string catalog attributes."""
    parts = []
    for name in text_attributes(obj, content_registry):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            parts.append(value)
    return "\n".join(parts)


def _string(obj, name):
    value = getattr(obj, name, None)
    return value if isinstance(value, str) and value else None


def _months(obj, name):
    value = getattr(obj, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _has_free_places(obj):
    """1/0 for objects that count free places (catalogue entries), else ``None``."""
    value = getattr(obj, "free_places", None)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value > 0)
    return None


def _district(obj):
    value = _string(obj, "district")
    if value is not None:
        return value
    for node in (obj, *_ancestors(obj)):
        if getattr(node, "type_name", None) == "District":
            return getattr(node, "code", None) or None
    return None


def _municipality(obj):
    value = getattr(obj, "municipality", None)
    if isinstance(value, str) and value:
        return value
    for node in (obj, *_ancestors(obj)):
        if getattr(node, "type_name", None) == "Municipality":
            return node.title or None
    return None


def _code(obj, name):
    """An exact-match code (protocol, codice fiscale): upper case, no spaces."""
    value = _string(obj, name)
    if value is None:
        return None
    return "".join(value.split()).upper() or None


def name_words(text):
    """The folded words of a person's name: what the officers' queue matches exactly."""
    return sorted(set(WORD.findall(fold(text or ""))))


def _beneficiary_words(obj):
    if not _personal(obj):
        return None
    return name_words(_string(obj, "beneficiary_name")) or None


def _personal(obj):
    return getattr(obj, "personal_data", False) is True


def _allowed_personal(obj):
    """Who may read the personal data of ``obj`` (None: it holds none)."""
    return sorted(principals_allowed(obj, VIEW_PERSONAL_DATA)) if _personal(obj) else None


def _actors(obj):
    """Logins that fired a workflow transition on ``obj`` ("only mine" in the queues)."""
    if not _personal(obj):
        return None
    found = {entry.get("who") for entry in getattr(obj, "workflow_history", None) or ()
             if isinstance(entry, dict)}
    found.discard(None)
    return sorted(who for who in found if isinstance(who, str)) or None


def _service_paths(obj):
    """The chosen catalogue entry's path and its containers' (a provider's match queue).

    An attestation names its entry ``entry_path``: the provider's counts of them too.
    """
    path = _string(obj, "catalogue_entry_path") or _string(obj, "entry_path")
    if path is None or not path.startswith("/"):
        return None
    names = [n for n in path.split("/") if n]
    return ["/" + "/".join(names[:i]) for i in range(1, len(names) + 1)] or None


def make_entry(obj, content_registry=None):
    """The catalog entry of ``obj``: stored fields, filters, allowed principals, tokens."""
    entry = entry_fields(obj)
    entry["text"] = analyzed_text(object_text(obj, content_registry))
    return entry


def analyzed_text(raw):
    """The indexed tokens of ``raw`` text, space-separated (the costly part of an entry)."""
    return " ".join(analyze(raw))


def text_digest(raw):
    """64 bits identifying ``raw`` text: an unchanged text need not be analysed again."""
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def entry_fields(obj):
    """The entry of ``obj`` without its text."""
    created = getattr(obj, "created", None)
    modified = getattr(obj, "modified", None)
    path = resource_path(obj)
    ancestors = [resource_path(node) for node in _ancestors(obj)]
    title = getattr(obj, "title", "") or ""
    return {
        "uid": obj.uid,
        "docid": docid_for(obj.uid, to_micros(created) if isinstance(created, datetime)
                           else None),
        "path": path,
        "parent": ancestors[0] if ancestors else None,
        "ancestors": ancestors,
        "type_name": getattr(obj, "type_name", None),
        "title": title,
        "title_sort": " ".join(analyze_title(title)),
        "state": getattr(obj, "state", None),
        "district": _district(obj),
        "municipality": _municipality(obj),
        "service_type": _string(obj, "service_type"),
        "age_min_months": _months(obj, "age_min_months"),
        "age_max_months": _months(obj, "age_max_months"),
        "has_free_places": _has_free_places(obj),
        "year": created.year if isinstance(created, datetime) else None,
        "created": to_micros(created) if isinstance(created, datetime) else None,
        "modified": to_micros(modified) if isinstance(modified, datetime) else None,
        "allowed": sorted(principals_allowed(obj, VIEW)),
        # applications (see README, "The catalog's application fields")
        "protocol": _code(obj, "protocol"),
        "service_paths": _service_paths(obj),
        # personal data: searchable only through ``allowed_personal``
        "beneficiary_fiscal_code": _code(obj, "beneficiary_fiscal_code") if _personal(obj) else None,
        "beneficiary_words": _beneficiary_words(obj),
        "actors": _actors(obj),
        "allowed_personal": _allowed_personal(obj),
    }


def analyze_title(title):
    """Sort key words of a title: folded, case-less, punctuation-free."""
    return WORD.findall(fold(title))


def walk(obj):
    """``obj`` and every descendant, parents first."""
    stack = [obj]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Container):
            children = list(node.values())
            children.reverse()
            stack.extend(children)


def descendants(root):
    """Everything under ``root``, not the root itself (what events index)."""
    nodes = walk(root)
    next(nodes)
    return nodes
