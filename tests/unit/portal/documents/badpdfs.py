"""Hostile and broken PDFs for the refusal tests, built byte by byte."""
import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def raw_pdf(objects, root=1):
    """A classic-xref PDF from ``{number: body bytes}``; bodies are written verbatim."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets.get(number, 0))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (size, root, xref))
    return out.getvalue()


def _page_objects(content_stream_obj):
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        4: content_stream_obj,
    }


def simple_pdf(text=b"Ciao"):
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objs = _page_objects(b"<< /Length %d >>\nstream\n" % len(content) + content
                         + b"\nendstream")
    objs[3] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>")
    objs[5] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return raw_pdf(objs)


def nested_bomb(depth=200_000):
    """An object nested ``depth`` arrays deep (parsers that recurse blow the stack)."""
    objs = _page_objects(b"<< /Length 0 >>\nstream\n\nendstream")
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /Bomb " + b"[" * depth + b"]" * depth + b" >>"
    return raw_pdf(objs)


def flate_bomb(decompressed=512 * 1024 * 1024):
    """A page content stream of a few hundred KB that inflates to ``decompressed`` bytes."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [comp.compress(chunk) for _ in range(decompressed // len(chunk))]
    parts.append(comp.flush())
    data = b"".join(parts)
    return raw_pdf(_page_objects(
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
        + b"\nendstream"))


def many_pages(count):
    kids = b" ".join(b"%d 0 R" % (10 + i) for i in range(count))
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count}
    for i in range(count):
        objs[10 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"
    return raw_pdf(objs)


def launch_action_pdf():
    objs = _page_objects(b"<< /Length 0 >>\nstream\n\nendstream")
    objs[1] = (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch "
               b"/F (cmd.exe) >> >>")
    return raw_pdf(objs)


def _writer_from(pdf_bytes):
    return PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))


def _bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_pdf(base):
    """Document-level JavaScript in the catalog's /Names tree (what add_js used to do)."""
    writer = _writer_from(base)
    action = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('ciao');")}))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("avvio"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)})
    return _bytes(writer)


def annotation_javascript_pdf(base):
    """JavaScript hidden in a link annotation of the first page (not in the catalog)."""
    writer = _writer_from(base)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert(1)")})
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 10, 10)]),
        NameObject("/A"): action})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    return _bytes(writer)


def attachment_pdf(base):
    writer = _writer_from(base)
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    return _bytes(writer)


def encrypted_pdf(base):
    writer = _writer_from(base)
    writer.encrypt(user_password="segreto", owner_password="segreto", algorithm="AES-128")
    return _bytes(writer)


class EndlessUpload:
    """A file-like upload that would stream ``total`` bytes; counts what is read."""

    def __init__(self, total=2 * 1024 ** 3, declare=False):
        self.total = total
        self.position = 0
        self.largest_read = 0
        if declare:
            self.length = total

    def read(self, n=-1):
        if n is None or n < 0:
            raise AssertionError("unbounded read() of a 2 GB upload")
        n = min(n, self.total - self.position)
        self.largest_read = max(self.largest_read, n)
        self.position += n
        return b"%PDF-" + b"0" * (n - 5) if self.position == n else b"0" * n
