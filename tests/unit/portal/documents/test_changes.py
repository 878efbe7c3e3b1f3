"""What the verdict says about incremental updates of other kinds, checked on real signed receipts."""
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from portal.documents import layouts
from portal.documents.changes import describe_revisions, reserved_space_changes, stray_bytes
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents import tampered

pytestmark = [pytest.mark.filterwarnings("ignore:Unclosed:ResourceWarning")]


@pytest.fixture(scope="module")
def signed_receipt(pki):
    from portal.documents.signing import DocumentSigner  # noqa: PLC0415
    from tests.unit.portal.documents.conftest import Header, Office  # noqa: PLC0415
    from tests.unit.portal.documents.pki import P12_PASSWORD  # noqa: PLC0415
    signer = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD)
    header = Header(Office("Ambito Territoriale BA-01", ("Via Roma 1",)), "Ricevuta",
                    protocol="2025/0000001")
    data = {"applicant_name": "Maria Rossi", "fiscal_code": "RSSMRA80A41A662Y",
            "call_title": "Buoni servizio", "district": "BA-01", "fields": [("ISEE", "1")]}
    return signer.sign(layouts.application_receipt(header, data)).data


def _verdict(data, trust_roots):
    result = verify_pdf(data, trust_roots, allow_fetching=True)
    assert result.status != "valid", result.verdict
    return result.verdict


def _add_page(writer):
    pages = writer.root["/Pages"]
    page = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/Parent"): writer.root.raw_get("/Pages"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject(
            [generic.NumberObject(n) for n in (0, 0, 595, 842)]),
    }))
    pages["/Kids"].append(page)
    pages["/Count"] = generic.NumberObject(pages["/Count"] + 1)
    writer.update_container(pages)


def _rewrite_content_in_place(writer):
    page = tampered._first_page(writer)
    ref = page.raw_get("/Contents")
    if isinstance(ref, generic.ArrayObject):
        ref = ref[0]
    stream = ref.get_object()
    stream.strip_filters()
    stream._data = stream._encoded_data = b"BT /F1 24 Tf 72 700 Td (Domanda respinta) Tj ET"
    writer.mark_update(ref)


def _change_catalog(writer):
    writer.root["/PageMode"] = generic.pdf_name("/FullScreen")
    writer.update_root()


def _add_objects(count):
    def change(writer):
        for i in range(count):
            writer.add_object(generic.DictionaryObject({
                generic.pdf_name("/Type"): generic.pdf_name("/Nota"),
                generic.pdf_name("/N"): generic.NumberObject(i)}))
    return change


def _info_with_structures(writer):
    info = writer.trailer["/Info"]
    info["/Keywords"] = writer.add_object(generic.TextStringObject("respinta"))
    info["/Custom"] = generic.ArrayObject([generic.NumberObject(1), generic.NumberObject(2)])
    info["/Extra"] = generic.DictionaryObject({generic.pdf_name("/K"): generic.NumberObject(1)})
    writer.update_container(info)


def test_an_added_page_is_named(signed_receipt, trust_roots):
    assert "aggiunta una pagina" in _verdict(tampered.incremental(signed_receipt, _add_page),
                                             trust_roots)


def test_a_content_stream_rewritten_in_place_names_its_page(signed_receipt, trust_roots):
    verdict = _verdict(tampered.incremental(signed_receipt, _rewrite_content_in_place), trust_roots)
    assert "sostituito il contenuto della pagina 1" in verdict


def test_a_changed_catalog_names_the_changed_keys(signed_receipt, trust_roots):
    verdict = _verdict(tampered.incremental(signed_receipt, _change_catalog), trust_roots)
    assert "modificato il catalogo del documento (PageMode)" in verdict


@pytest.mark.parametrize(("count", "phrase"), [
    (1, "aggiunto o sostituito un altro oggetto del documento"),
    (2, "aggiunti o sostituiti 2 altri oggetti del documento"),
])
def test_other_added_objects_are_counted(signed_receipt, trust_roots, count, phrase):
    data = tampered.incremental(signed_receipt, _add_objects(count))
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert phrase in describe_revisions(reader, reader.xrefs.total_revisions - 2)


def test_info_values_that_are_references_arrays_or_dictionaries_are_compared(signed_receipt,
                                                                            trust_roots):
    verdict = _verdict(tampered.incremental(signed_receipt, _info_with_structures), trust_roots)
    assert "parole chiave" in verdict
    assert "Custom" in verdict
    assert "Extra" in verdict


def test_the_last_revision_has_nothing_after_it(signed_receipt):
    reader = PdfFileReader(io.BytesIO(signed_receipt), strict=False)
    assert describe_revisions(reader, reader.xrefs.total_revisions - 1) == []
    assert stray_bytes(signed_receipt, reader) == []


def test_reserved_space_that_is_not_der_counts_only_its_odd_bytes():
    assert reserved_space_changes(b"00 zz", b"\x00\x01\x02") == 3
    assert reserved_space_changes(b"0000", b"\xff") == 0
