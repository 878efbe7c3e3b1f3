"""The persistent registry on a real FileStorage with blobs: versions, never overwrite."""
import hashlib
import io

import pytest
import transaction
from pypdf import PdfReader

from portal.documents import layouts
from portal.documents.errors import AlreadyRegistered, UnknownDocument
from portal.documents.registry import (
    DocumentRegistry,
    issue_document,
    latest,
    lookup,
    lookup_hash,
    register,
    versions,
)
from portal.documents.render import Header
from portal.documents.verify import verify_pdf

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]
BASE = "https://portale.example.it/verifica"


def issue_receipt(registry, signer, header, data, uid="app-1"):
    def render(url):
        return layouts.application_receipt(
            Header(header.office, header.title, header.protocol, header.date, url), data)
    return issue_document(registry, signer, render, kind="ricevuta", title=header.title,
                          verify_base_url=BASE, object_uid=uid,
                          object_path="/ambiti/ba-01/domande/buoni/app-1",
                          protocol=header.protocol)


def test_issue_store_reopen_and_regenerate(zodb, office_signer, header, receipt_data,
                                           trust_roots):
    conn = zodb.open()
    conn.root()["documenti"] = registry = DocumentRegistry()
    first = issue_receipt(registry, office_signer, header, receipt_data)
    transaction.commit()
    first_id, first_hash = first.doc_id, first.sha256
    conn.close()

    conn = zodb.open()
    registry = conn.root()["documenti"]
    record = lookup(registry, first_id)
    data = record.read()
    assert hashlib.sha256(data).hexdigest() == first_hash
    assert record.version == 1
    assert record.level == "B-B"
    assert record.signer_name == "Ambito BA-01 (TEST)"
    assert record.object_path.endswith("app-1")
    assert lookup(registry, first_hash) is record  # by SHA-256 too
    result = verify_pdf(data, trust_roots, registry)
    assert result.status == "valid"
    assert result.issued["doc_id"] == first_id

    # regenerating issues version 2; version 1 and its bytes stay as they were
    second = issue_receipt(registry, office_signer, header,
                           dict(receipt_data, applicant_name="Maria Rossi Bianchi"))
    transaction.commit()
    assert second.version == 2
    assert second.doc_id != first_id
    assert lookup(registry, first_id).read() == data
    assert lookup(registry, first_id).superseded_by == second.doc_id
    assert [r.version for r in versions(registry, "app-1", "ricevuta")] == [1, 2]
    assert latest(registry, "app-1", "ricevuta") is second
    assert len(registry) == 2
    conn.close()


def test_the_qr_url_carries_the_document_id(office_signer, header, receipt_data):
    registry = DocumentRegistry()
    record = issue_receipt(registry, office_signer, header, receipt_data)
    reader = PdfReader(io.BytesIO(record.read()))
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]
            if "/A" in a.get_object()]  # the other annotation is the signature widget
    assert uris == [f"{BASE}/{record.doc_id}"]
    assert f"{BASE}/{record.doc_id}" in reader.pages[0].extract_text().replace("\n", "")


def test_same_bytes_or_id_cannot_be_registered_twice():
    registry = DocumentRegistry()
    register(registry, b"%PDF-firmato", doc_id="a")
    with pytest.raises(AlreadyRegistered):
        register(registry, b"%PDF-firmato", doc_id="b")
    with pytest.raises(AlreadyRegistered):
        register(registry, b"%PDF-altro", doc_id="a")


def test_unknown_lookup():
    registry = DocumentRegistry()
    with pytest.raises(UnknownDocument) as info:
        lookup(registry, "nope")
    assert info.value.http_status == 404
    assert lookup_hash(registry, "0" * 64) is None
    assert latest(registry, "x", "ricevuta") is None
