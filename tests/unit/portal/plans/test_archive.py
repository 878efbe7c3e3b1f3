"""Archive versions over random sequences of uploads: a counter that only grows, nothing lost."""
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen import canvas

from content_types.zone_plan import ArchiveFolder
from portal.documents import DocumentService, DocumentSettings
from portal.plans import archive

SERVICE = DocumentService(DocumentSettings.from_settings({"documents.signer": ""}),
                          trust_roots=())
WORDS = ("anice", "basilico", "cumino", "dragoncello", "finocchio", "ginepro")


def _pdf(word):
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.drawString(72, 760, f"Documento {word}")
    page.showPage()
    page.save()
    return out.getvalue()


PDFS = {word: _pdf(word) for word in WORDS}
BAD = (b"", b"testo, non un PDF", PDFS["anice"][:200])

actions = st.lists(st.one_of(
    st.tuples(st.just("new"), st.sampled_from(WORDS)),
    st.tuples(st.just("version"), st.integers(0, 5), st.sampled_from(WORDS)),
    st.tuples(st.just("refused"), st.integers(0, 5), st.sampled_from(BAD)),
), max_size=12)


@settings(max_examples=30)
@given(actions)
def test_versions_only_grow_and_every_accepted_file_stays_readable(steps):
    folder = ArchiveFolder(title="Delibere", creator="rup-ba01")
    sent = []  # per document: the words of its accepted versions, oldest first
    for step in steps:
        docs = list(folder.values())
        if step[0] == "new":
            archive.add_document(folder, PDFS[step[1]], "a.pdf", title=f"Atto {len(sent)}",
                                 description="", who="rup-ba01", origin=archive.ORIGIN_ATS,
                                 service=SERVICE)
            sent.append([step[1]])
        elif docs and step[0] == "version":
            index = step[1] % len(docs)
            number = archive.add_version(docs[index], PDFS[step[2]], "v.pdf", note="",
                                         who="regione", service=SERVICE)
            sent[index].append(step[2])
            assert number == len(sent[index])
        elif docs:
            document = docs[step[1] % len(docs)]
            before = (document.versions, document.version_info, document.text)
            with pytest.raises(archive.ArchiveError) as refused:
                archive.add_version(document, step[2], "x.pdf", note="", who="regione",
                                    service=SERVICE)
            assert refused.value.http_status == 422
            assert (document.versions, document.version_info, document.text) == before
    documents = list(folder.values())
    assert len(documents) == len(sent)
    for document, words in zip(documents, sent, strict=True):
        assert [i["number"] for i in document.version_info] == list(range(1, len(words) + 1))
        for number, word in enumerate(words, start=1):
            assert archive.version_of(document, str(number))[1].read() == PDFS[word]
        assert archive.version_of(document, "")[0] == len(words)
        assert f"Documento {words[-1]}" in document.text
