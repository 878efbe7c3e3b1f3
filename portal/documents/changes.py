"""What a PDF gained after a signed revision: a strict diff policy and an Italian description.

PAdES lets a signed file grow only by validation data (the DSS with its VRI), document
timestamps and further signatures. pyhanko's default policy also accepts any change of the
document information (title, author...) and of the XMP metadata; ours does not, so a
changed title is reported, while the dates and producer every PDF writer refreshes are
allowed. Bytes appended after ``%%EOF`` belong to no revision and are invisible to
pyhanko's diff analysis, so they are found here from the cross-reference sections.
"""
import re
from dataclasses import dataclass

from asn1crypto import core
from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DocInfoRule,
    DSSCompareRule,
    FormUpdatingRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)

# keys every PDF writer refreshes on an incremental update (pyhanko included)
_INFO_BOOKKEEPING = frozenset({"/ModDate", "/Producer"})
_INFO_NAMES = {"/Title": "titolo", "/Author": "autore", "/Subject": "oggetto",
               "/Keywords": "parole chiave", "/Creator": "applicazione di origine",
               "/CreationDate": "data di creazione", "/Trapped": "stato di stampa"}
# catalog keys whose changes the policy's own rules judge (DSS, signature form fields)
_CATALOG_ALLOWED = frozenset({"/DSS", "/AcroForm", "/Extensions", "/Version", "/MarkInfo"})
_ALLOWED_TYPES = frozenset({"/Sig", "/DocTimeStamp", "/XRef", "/ObjStm", "/Catalog"})
_EOF = re.compile(rb"%%EOF")
_WHITESPACE = b"\r\n\t\f\x00 "


class _StrictDocInfoRule(DocInfoRule):
    """Accepts an updated /Info only when just its dates and producer changed."""

    def apply(self, old, new):
        if not info_changes(old, new):
            yield from super().apply(old, new)


STRICT_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        _StrictDocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
    ],
    # signature fields only: a later signature or document timestamp, never form values
    form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(),
                                            SigFieldModificationRule()]),
)


def info_changes(old, new):
    """Keys of the document information that differ between two revisions (not bookkeeping)."""
    old_info = _info(old)
    new_info = _info(new)
    keys = set(old_info) | set(new_info)
    return sorted(k for k in keys - _INFO_BOOKKEEPING if old_info.get(k) != new_info.get(k))


def _info(resolver):
    try:
        info = resolver.trailer_view.raw_get("/Info")
    except KeyError:
        return {}
    if isinstance(info, generic.IndirectObject):
        # the flattened trailer's references point at the newest revision: resolve in ours
        info = resolver(generic.Reference(info.idnum, info.generation, pdf=resolver))
    if not isinstance(info, generic.DictionaryObject):
        return {}
    return {key: _plain(info.raw_get(key)) for key in info}


def _plain(value):
    """A comparable Python value for a PDF object (indirect values resolved)."""
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    if isinstance(value, generic.ArrayObject):
        return tuple(_plain(v) for v in value)
    if isinstance(value, generic.DictionaryObject):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    return str(value)


@dataclass(frozen=True)
class StrayBytes:
    """Bytes in the file that belong to no revision (after an ``%%EOF``)."""

    offset: int
    length: int


def stray_bytes(data, reader):
    """Runs of non-blank bytes after each revision's ``%%EOF`` that no later revision explains."""
    xrefs = reader.xrefs
    found = []
    total = xrefs.total_revisions
    for revision in range(total):
        end = _revision_end(data, xrefs.get_xref_container_info(revision).end_location)
        if end is None:
            continue
        upto = len(data) if revision == total - 1 else _revision_start(xrefs, revision + 1)
        if upto is None or upto <= end:
            continue
        gap = data[end:upto]
        if gap.strip(_WHITESPACE):
            found.append(StrayBytes(end, len(gap)))
    return found


def _revision_end(data, xref_end):
    match = _EOF.search(data, xref_end)
    return match.end() if match else None


def _revision_start(xrefs, revision):
    """The lowest offset written by ``revision`` (objects or its xref section)."""
    meta = xrefs.get_xref_container_info(revision)
    offsets = [meta.start_location]
    offsets += [offset for _gen, offset in xrefs.get_xref_data(revision).standard_xrefs.values()
                if offset]
    return min(offsets)


_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")


def reserved_space_changes(hex_field, contents):
    """Changed bytes in a signature's reserved space: ``hex_field`` is the file's bytes between
    ``<`` and ``>``, ``contents`` the decoded /Contents.

    Neither the digest nor the CMS covers the zero padding after the DER-encoded CMS, and
    readers skip whitespace in hex strings, so a byte changed there would otherwise leave
    a changed file "integro". (A hex digit's case is the same string to every reader.)
    """
    odd = sum(1 for byte in hex_field if byte not in _HEX_DIGITS)
    try:
        cms = core.load(contents, strict=False)  # DER or BER (indefinite length)
    except ValueError:
        return odd
    # asn1crypto keeps the encoded header and trailer only in these attributes
    end = len(cms._header) + len(cms.contents) + len(cms._trailer or b"")  # noqa: SLF001
    return odd + sum(1 for byte in contents[end:] if byte)


def describe_revisions(reader, signed_revision):
    """Italian phrases for what revisions after ``signed_revision`` changed beyond PAdES."""
    total = reader.xrefs.total_revisions
    if signed_revision >= total - 1:
        return []
    old = reader.get_historical_resolver(signed_revision)
    phrases = []
    for revision in range(signed_revision + 1, total):
        new = reader.get_historical_resolver(revision)
        for phrase in _describe(reader, old, new, revision):
            if phrase not in phrases:
                phrases.append(phrase)
    return phrases


def _describe(reader, old, new, revision):
    allowed = _pades_refs(new)
    old_pages = _page_numbers(old)
    old_contents = _content_refs(old, old_pages)
    old_annots = _annot_refs(old, old_pages)
    new_annots = _annot_refs(new, _page_numbers(new))
    new_contents = _content_refs(new, _page_numbers(new))
    changed = sorted(reader.xrefs.explicit_refs_in_revision(revision),
                     key=lambda r: (r.idnum, r.generation))
    phrases, others = [], 0
    info_keys = info_changes(old, new)
    if info_keys:
        names = ", ".join(_INFO_NAMES.get(k, k.lstrip("/")) for k in info_keys)
        phrases.append(f"modificate le informazioni del documento ({names})")
    info_ref = _ref(new.trailer_view.raw_get("/Info")) if "/Info" in new.trailer_view else None
    for ref in changed:
        key = (ref.idnum, ref.generation)
        if key in allowed or key == info_ref:
            continue
        obj = new(generic.Reference(ref.idnum, ref.generation, pdf=new))
        kind = obj.get("/Type") if isinstance(obj, generic.DictionaryObject) else None
        if key in old_contents:
            phrases.append(f"sostituito il contenuto della pagina {old_contents[key]}")
        elif key in new_contents:
            phrases.append(f"sostituito il contenuto della pagina {new_contents[key]}")
        elif key in old_pages:
            phrases.extend(_page_phrases(old, key, obj, old_pages[key]))
        elif kind == "/Page":
            phrases.append("aggiunta una pagina")
        elif key in new_annots or kind == "/Annot":
            subtype = str(obj.get("/Subtype", "")).lstrip("/") if isinstance(
                obj, generic.DictionaryObject) else ""
            verb = "modificata" if key in old_annots else "aggiunta"
            where = f" sulla pagina {new_annots[key]}" if key in new_annots else ""
            phrases.append(f"{verb} un'annotazione" + (f" ({subtype})" if subtype else "")
                           + where)
        elif kind == "/Catalog":
            keys = _changed_keys(old.root, obj) - _CATALOG_ALLOWED
            if keys:
                phrases.append("modificato il catalogo del documento ("
                               + ", ".join(sorted(k.lstrip("/") for k in keys)) + ")")
        elif kind not in _ALLOWED_TYPES:
            others += 1
    freed = reader.xrefs.refs_freed_in_revision(revision)
    if freed:
        phrases.append(f"eliminati {len(freed)} oggetti del documento")
    if others:
        phrases.append(f"aggiunti o sostituiti {others} altri oggetti del documento"
                       if others > 1 else "aggiunto o sostituito un altro oggetto del documento")
    return phrases


def _page_phrases(old, key, new_page, number):
    """What changed in a page dictionary itself (its content and annotations are objects)."""
    old_page = old(generic.Reference(*key, pdf=old))
    keys = _changed_keys(old_page, new_page) - {"/Annots"}
    phrases = []
    if "/Contents" in keys:
        phrases.append(f"sostituito il contenuto della pagina {number}")
    rest = keys - {"/Contents"}
    if rest:
        phrases.append(f"modificate le proprietà della pagina {number} ("
                       + ", ".join(sorted(k.lstrip("/") for k in rest)) + ")")
    return phrases


def _changed_keys(old, new):
    keys = set(old) | set(new)
    return {k for k in keys if _plain_ref(_raw(old, k)) != _plain_ref(_raw(new, k))}


def _raw(dictionary, key):
    """``dictionary``'s unresolved value at ``key``, or None (pyhanko's ``raw_get`` has no default)."""
    return dictionary.raw_get(key) if key in dictionary else None


def _plain_ref(value):
    """Compare references by number, direct values by content."""
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if isinstance(value, generic.ArrayObject):
        return tuple(_plain_ref(v) for v in value)
    if isinstance(value, generic.DictionaryObject):
        return tuple(sorted((k, _plain_ref(v)) for k, v in value.items()))
    return None if value is None else str(value)


def _ref(value):
    return (value.idnum, value.generation) if isinstance(value, generic.IndirectObject) else None


def _refs_in(value):
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    if not isinstance(value, generic.ArrayObject):
        return []
    return [_ref(v) for v in value if _ref(v) is not None]


def _pages(resolver):
    """(reference, page number) of every page, in order."""
    out = []
    try:
        kids = [resolver.root.raw_get("/Pages")]
    except KeyError:
        return out
    seen = set()
    while kids and len(out) < 100_000:
        node_ref = kids.pop(0)
        key = _ref(node_ref)
        if key is None or key in seen:
            continue
        seen.add(key)
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            kids = _raw_items(node.get("/Kids")) + kids
        else:
            out.append((key, len(out) + 1))
    return out


def _page_numbers(resolver):
    return dict(_pages(resolver))


def _content_refs(resolver, page_numbers):
    """{content stream reference: page number} in ``resolver``'s revision."""
    out = {}
    for (idnum, generation), number in page_numbers.items():
        page = resolver(generic.Reference(idnum, generation, pdf=resolver))
        contents = _raw(page, "/Contents")
        for key in ([_ref(contents)] if _ref(contents) else _refs_in(contents)):
            out.setdefault(key, number)
    return out


def _annot_refs(resolver, page_numbers):
    """{annotation reference: page number} in ``resolver``'s revision."""
    out = {}
    for (idnum, generation), number in page_numbers.items():
        page = resolver(generic.Reference(idnum, generation, pdf=resolver))
        for key in _refs_in(_raw(page, "/Annots")):
            out.setdefault(key, number)
    return out


def _pades_refs(resolver):
    """Objects a PAdES extension may add: the DSS tree and signature fields with what they hold."""
    root = resolver.root
    refs = set()
    starts = []
    if "/DSS" in root:
        starts.append(root.raw_get("/DSS"))
    try:
        fields = root["/AcroForm"]["/Fields"]
    except (KeyError, TypeError):
        fields = ()
    for field in _raw_items(fields):
        obj = field.get_object() if isinstance(field, generic.IndirectObject) else field
        if isinstance(obj, generic.DictionaryObject) and obj.get("/FT") == "/Sig":
            starts.append(field)
    for start in starts:
        if isinstance(start, generic.IndirectObject):
            refs.add(_ref(start))
        refs |= {(r.idnum, r.generation) for r in _dependencies(start)}
    return refs


def _raw_items(array):
    return list(array) if isinstance(array, generic.ArrayObject) else []


def _dependencies(obj):
    """References under ``obj``, not following /P back to the page (or the page tree)."""
    seen, stack = set(), [obj]
    while stack:
        value = stack.pop()
        if isinstance(value, generic.IndirectObject):
            if value.reference in seen:
                continue
            seen.add(value.reference)
            value = value.get_object()
        if isinstance(value, generic.DictionaryObject):
            stack.extend(v for k, v in value.items() if k not in ("/P", "/Parent"))
        elif isinstance(value, generic.ArrayObject):
            stack.extend(value)
    return seen
