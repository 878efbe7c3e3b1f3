"""Uploads: every kind of bad input is refused with its own Italian message, in bounded time."""
import hashlib
import time
import tracemalloc

import pytest
import transaction

from portal.documents import errors, layouts
from portal.documents.registry import store_upload
from portal.documents.uploads import inspect_pdf, read_limited
from tests.unit.portal.documents import badpdfs

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]
LIMIT = 5 * 1024 * 1024


@pytest.fixture
def receipt(header, receipt_data):
    return layouts.application_receipt(header, receipt_data)


def refused(data, exc_type, **kwargs):
    started = time.monotonic()
    with pytest.raises(exc_type) as info:
        inspect_pdf(read_limited(data, LIMIT), **kwargs)
    assert time.monotonic() - started < 20
    assert str(info.value.message)
    assert info.value.code
    return info.value


def test_accepts_a_real_pdf_and_extracts_text(receipt):
    result = inspect_pdf(receipt)
    assert result.pages == 1
    assert "Maria Rossi" in result.text
    assert len(result.sha256) == 64
    assert not result.signed
    assert result.title == "Ricevuta di presentazione della domanda"


def test_signed_pdf_reports_its_signature_field(office_signer, receipt):
    assert inspect_pdf(office_signer.sign(receipt).data).signature_fields == ("FirmaUfficio",)


def test_not_a_pdf():
    exc = refused(b"PK\x03\x04 questo e' uno zip rinominato in .pdf" * 10, errors.NotAPdf)
    assert exc.code == "not_a_pdf"
    assert "non è un PDF" in str(exc.message)


def test_truncated_pdf(receipt):
    exc = refused(receipt[: len(receipt) // 2], errors.DamagedPdf)
    assert "incompleto" in str(exc.message)


def test_garbage_with_pdf_markers_is_damaged():
    refused(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", errors.DamagedPdf)


def test_deeply_nested_bomb():
    exc = refused(badpdfs.nested_bomb(), (errors.ResourceLimit, errors.DamagedPdf))
    assert exc.code in ("pdf_too_complex", "damaged_pdf")


def test_flate_bomb_is_refused_within_memory_bounds():
    bomb = badpdfs.flate_bomb(512 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        exc = refused(bomb, errors.ResourceLimit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, peak
    assert "troppo complesso" in str(exc.message)


def test_too_many_pages():
    exc = refused(badpdfs.many_pages(30), errors.ResourceLimit, max_pages=20)
    assert "30 pagine" in str(exc.message)


def test_encrypted_pdf(receipt):
    exc = refused(badpdfs.encrypted_pdf(receipt), errors.EncryptedPdf)
    assert exc.code == "encrypted_pdf"
    assert "password" in str(exc.message)


def test_document_javascript(receipt):
    exc = refused(badpdfs.javascript_pdf(receipt), errors.ActiveContent)
    assert "JavaScript" in str(exc.message)


def test_javascript_in_annotation(receipt):
    exc = refused(badpdfs.annotation_javascript_pdf(receipt), errors.ActiveContent)
    assert "JavaScript" in str(exc.message)


def test_launch_action():
    exc = refused(badpdfs.launch_action_pdf(), errors.ActiveContent)
    assert "Launch" in str(exc.message)


def test_embedded_file(receipt):
    exc = refused(badpdfs.attachment_pdf(receipt), errors.ActiveContent)
    assert "file incorporati" in str(exc.message)


def test_empty_upload():
    with pytest.raises(errors.EmptyUpload):
        read_limited(b"", LIMIT)


@pytest.mark.parametrize("declare", [False, True])
def test_two_gigabyte_upload_is_refused_while_streaming(declare):
    upload = badpdfs.EndlessUpload(2 * 1024 ** 3, declare=declare)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(errors.TooLarge) as info:
            read_limited(upload, LIMIT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert upload.position <= LIMIT + 1  # never read past the limit
    assert peak < 4 * LIMIT
    assert info.value.http_status == 413
    assert "5 MB" in str(info.value.message)


def test_store_upload_keeps_blob_hash_text_and_arrival_verification(
        zodb, office_signer, receipt, trust_roots):
    signed = office_signer.sign(receipt).data
    upload = store_upload(signed, max_bytes=LIMIT, filename="ricevuta.pdf",
                          uploader="user:mrossi", trust_roots=trust_roots)
    conn = zodb.open()
    conn.root()["upload"] = upload
    transaction.commit()
    conn.close()
    conn = zodb.open()
    stored = conn.root()["upload"]
    assert stored.read() == signed
    assert stored.signed
    assert stored.pages == 1
    assert stored.verification["status"] == "valid"
    assert "Maria Rossi" in stored.text
    assert stored.sha256 == hashlib.sha256(signed).hexdigest()
    conn.close()


def test_store_upload_refuses_bad_files():
    with pytest.raises(errors.NotAPdf):
        store_upload(b"hello", max_bytes=LIMIT)
