"""Upload refusals and reading edge cases: no pages, deep nesting, text cap, replayed form files."""
import io
import os
import threading
from types import SimpleNamespace

import pytest

from portal.documents import errors
from portal.documents.uploads import inspect_pdf, read_limited, read_posted
from tests.unit.portal.documents import badpdfs

LIMIT = 1024 * 1024


def _text_pages(texts):
    """A PDF with one page per text, Helvetica, no /Info in its trailer."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for i, text in enumerate(texts):
        page, content = 10 + 2 * i, 11 + 2 * i
        kids.append(b"%d 0 R" % page)
        stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                      b"/Resources << /Font << /F1 5 0 R >> >> >>" % content)
        objs[content] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(texts)
    return badpdfs.raw_pdf(objs)


def test_a_pdf_without_pages_is_refused_as_damaged():
    objs = badpdfs._page_objects(b"<< /Length 0 >>\nstream\n\nendstream")
    objs[2] = b"<< /Type /Pages /Kids [] /Count 0 >>"
    with pytest.raises(errors.DamagedPdf) as info:
        inspect_pdf(badpdfs.raw_pdf(objs))
    assert "pagine" in str(info.value.message)


@pytest.mark.parametrize("depth", [70, 200])
def test_structures_nested_past_the_limit_are_refused(depth):
    objs = badpdfs._page_objects(b"<< /Length 0 >>\nstream\n\nendstream")
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>"
    with pytest.raises(errors.ResourceLimit):
        inspect_pdf(badpdfs.raw_pdf(objs))


def test_nesting_within_the_limit_is_accepted():
    objs = badpdfs._page_objects(b"<< /Length 0 >>\nstream\n\nendstream")
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 40 + b"]" * 40 + b" >>"
    assert inspect_pdf(badpdfs.raw_pdf(objs)).pages == 1


def test_a_pdf_without_document_information_is_accepted_without_title():
    data = _text_pages([b"Primo"])
    assert b"/Info" not in data
    inspection = inspect_pdf(data)
    assert inspection.title == ""
    assert "Primo" in inspection.text


def test_extracted_text_stops_at_the_cap():
    texts = [b"Pagina%d" % i for i in range(1, 6)]
    full = inspect_pdf(_text_pages(texts)).text
    assert all(t.decode() in full for t in texts)
    capped = inspect_pdf(_text_pages(texts), text_max_chars=12).text
    assert capped == full[:12]
    assert "Pagina5" not in capped
    assert inspect_pdf(_text_pages(texts), extract_text=False).text == ""


def test_bytes_over_the_limit_are_refused():
    with pytest.raises(errors.TooLarge) as info:
        read_limited(b"x" * (LIMIT + 1), LIMIT)
    assert info.value.http_status == 413
    assert read_limited(b"x" * LIMIT, LIMIT) == b"x" * LIMIT


def test_a_replayed_form_file_is_read_from_its_start():
    data = badpdfs.simple_pdf()
    posted = SimpleNamespace(file=io.BytesIO(data))
    assert read_posted(posted, LIMIT) == data
    assert read_posted(posted, LIMIT) == data  # second reading (a replayed request): all of it


def test_a_form_file_that_cannot_seek_is_streamed_under_the_limit():
    data = badpdfs.simple_pdf()
    read_end, write_end = os.pipe()

    def feed(payload):
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)

    writer = threading.Thread(target=feed, args=(data,))
    writer.start()
    with os.fdopen(read_end, "rb") as source:
        assert not source.seekable()
        assert read_posted(SimpleNamespace(file=source), LIMIT) == data
    writer.join(5)


def test_a_form_file_that_cannot_seek_is_still_refused_past_the_limit():
    read_end, write_end = os.pipe()

    def feed():
        with os.fdopen(write_end, "wb") as pipe:
            try:
                pipe.write(b"%PDF-" + b"x" * (2 * LIMIT))
            except BrokenPipeError:
                pass  # the reader stopped at the limit, as it should

    writer = threading.Thread(target=feed)
    writer.start()
    with os.fdopen(read_end, "rb") as source, pytest.raises(errors.TooLarge):
        read_posted(SimpleNamespace(file=source), LIMIT)
    writer.join(5)
    assert not writer.is_alive()
