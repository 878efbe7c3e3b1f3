"""The 14 tampered variants of a signed receipt (issue 11, point 5), and legitimate extensions.

Each variant is derived from real signed bytes: flipped bytes at chosen places,
truncations, incremental updates written with pyhanko's own writer, and bytes
appended after ``%%EOF``. None of them may be called "integro".
"""
import io
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def byte_range(signed):
    """(len1, start2, len2) of the last signature's /ByteRange."""
    *_, match = _BYTE_RANGE.finditer(signed)
    return tuple(int(g) for g in match.groups())


def _replace(data, position, new=None):
    """``data`` with the byte at ``position`` changed (to ``new`` or to a neighbour)."""
    out = bytearray(data)
    if new is None:
        old = out[position]
        # stay printable and of the same class, so parsers still read the file
        new = old + 1 if chr(old).isalnum() and chr(old + 1).isalnum() else (
            old - 1 if chr(old).isalnum() else ord("x"))
    assert out[position] != new
    out[position] = new
    return bytes(out)


def _flip_hex(data, position):
    """``data`` with the hex digit at ``position`` changed to another hex digit."""
    return _replace(data, position, ord("1") if data[position] == ord("0") else ord("0"))


def _content_stream_offset(signed):
    """An offset in the middle of the first page's content stream data."""
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    contents = reader.root["/Pages"]["/Kids"][0].get_object().raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        contents = contents[0]
    start = signed.index(b"\n%d 0 obj" % contents.idnum) + 1
    data_start = signed.index(b"stream", start) + len(b"stream\n")
    data_end = signed.index(b"endstream", data_start)
    return (data_start + data_end) // 2


def incremental(signed, change):
    """``signed`` plus one incremental update made by pyhanko's writer after ``change``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _first_page(writer):
    return writer.root["/Pages"]["/Kids"][0].get_object()


def _add_annotation(writer):
    page = _first_page(writer)
    annot = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
        generic.pdf_name("/Rect"): generic.ArrayObject(
            [generic.NumberObject(n) for n in (72, 600, 400, 640)]),
        generic.pdf_name("/Contents"): generic.TextStringObject("Domanda respinta"),
        generic.pdf_name("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        generic.pdf_name("/P"): writer.root["/Pages"].raw_get("/Kids")[0],
    }))
    page["/Annots"] = generic.ArrayObject([annot])
    writer.update_container(page)


def change_info(writer):
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("Ricevuta annullata")
    info["/Author"] = generic.TextStringObject("Ufficio falso")
    writer.update_container(info)


def _replace_page_content(writer):
    page = _first_page(writer)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (Domanda respinta) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)


def redraw_signature_widget(writer):
    """Give the signed field's widget a visible appearance saying something else."""
    field = writer.root["/AcroForm"]["/Fields"][0]
    appearance = generic.StreamObject({
        generic.pdf_name("/Type"): generic.pdf_name("/XObject"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
        generic.pdf_name("/BBox"): generic.ArrayObject(
            [generic.NumberObject(n) for n in (0, 0, 300, 40)]),
    }, stream_data=b"BT /Helv 18 Tf 5 10 Td (ANNULLATA) Tj ET")
    field["/AP"] = generic.DictionaryObject({generic.pdf_name("/N"): writer.add_object(appearance)})
    field["/Rect"] = generic.ArrayObject([generic.NumberObject(n) for n in (72, 500, 372, 540)])
    writer.update_container(field)


def variants(signed):
    """``{name: bytes}``: the 14 ways a signed receipt was tampered with."""
    len1, start2, len2 = byte_range(signed)
    assert start2 + len2 == len(signed), "expects a receipt with one revision after signing"
    return {
        "header_version": _replace(signed, signed.index(b"%PDF-1.") + 7),
        "content_stream": _replace(signed, _content_stream_offset(signed)),
        "first_range_middle": _replace(signed, len1 // 2),
        "first_range_last_byte": _replace(signed, len1 - 1, ord("\n")),
        "second_range_first_byte": _replace(signed, start2, ord(" ")),
        "second_range_middle": _replace(signed, start2 + len2 // 2),
        "last_byte": _replace(signed, len(signed) - 1, ord(" ")),
        "signature_value": _flip_hex(signed, len1 + 1 + (start2 - len1) // 3),
        "truncated_at_signature": signed[:len1],
        "truncated_after_signature": signed[:start2],
        "incremental_annotation": incremental(signed, _add_annotation),
        "incremental_info": incremental(signed, change_info),
        "incremental_page_content": incremental(signed, _replace_page_content),
        "appended_after_eof": signed + b"\nAggiunta non firmata: domanda respinta.\n",
    }


NAMES = ("header_version", "content_stream", "first_range_middle", "first_range_last_byte",
         "second_range_first_byte", "second_range_middle", "last_byte", "signature_value",
         "truncated_at_signature", "truncated_after_signature", "incremental_annotation",
         "incremental_info", "incremental_page_content", "appended_after_eof")

# what the verdict must name for the variants that keep a valid signature over a prefix
ADDITIONS = {
    "incremental_annotation": "annotazion",
    "incremental_info": "informazioni del documento",
    "incremental_page_content": "contenuto della pagina",
    "appended_after_eof": "dopo la fine del documento firmato",
}
