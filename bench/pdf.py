"""Benchmark of the document service: generation, signing, verification (prints JSON).

Usage: .venv/bin/python bench/pdf.py [N]

Builds a throw-away certomancer PKI in a temp dir; its TSA runs in a forked
process (so its CPU is not counted as ours) on 127.0.0.1.
"""
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from portal.documents import layouts
from portal.documents.render import Header, Office
from portal.documents.signing import DocumentSigner, UrllibTimeStamper
from portal.documents.verify import verify_pdf
from tests.unit.portal.documents.pki import P12_PASSWORD, build_pki


def rate(n, func):
    """Documents per second: wall clock, and CPU time of this process.

    The CPU figure is what one core does when the machine is shared; for B-T
    the wall figure includes waiting for the TSA (another process).
    """
    func()  # warm-up (fonts, templates, CMS template)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        func()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": round(n / wall, 1), "cpu": round(n / cpu, 1) if cpu else None}


def main(n=50):
    header = Header(Office("Ambito Territoriale BA-01", ("Via Roma 1", "70100 Bari")),
                    "Ricevuta di presentazione della domanda", protocol="2025/0001234",
                    verify_url="https://portale.example.it/verifica/" + "ab" * 16)
    receipt_data = {"applicant_name": "Maria Rossi", "fiscal_code": "RSSMRA80A41A662Y",
                    "call_title": "Buoni servizio 2025", "district": "BA-01",
                    "submitted_at": datetime.now(UTC),
                    "fields": [("ISEE", "€ 12.345,67")], "attachments": ["isee.pdf"]}
    ranking_data = {"call_title": "Buoni servizio 2025", "rows": [
        {"position": i, "protocol": f"2025/{i:07d}", "applicant": f"Richiedente {i}",
         "score": 100 - i, "isee": Decimal(5000) + i, "outcome": "Ammesso"}
        for i in range(1, 950)]}
    with tempfile.TemporaryDirectory() as tmp:
        pki = build_pki(tmp, serve="process")
        try:
            receipt = layouts.application_receipt(header, receipt_data)
            ranking = layouts.ranking(header, ranking_data)
            import io

            from pypdf import PdfReader
            ranking_pages = len(PdfReader(io.BytesIO(ranking)).pages)
            bb = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD)
            bt = DocumentSigner.from_pkcs12(pki.p12["office"], P12_PASSWORD,
                                            timestamper=UrllibTimeStamper(pki.tsa_url))

            # pyhanko's default pipeline, for comparison: SimpleSigner re-imports
            # its key for every signature, the CMS is rebuilt with asn1crypto and
            # the size of the signature is estimated with a dry run
            plain = signers.SimpleSigner.load_pkcs12(pki.p12["office"],
                                                  passphrase=P12_PASSWORD)
            meta = signers.PdfSignatureMetadata(field_name="Firma",
                                                subfilter=SigSeedSubFilter.PADES)

            def pyhanko_default():
                signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(receipt)), meta,
                                 signer=plain, output=io.BytesIO())

            signed_receipt = bb.sign(receipt).data
            signed_bt = bt.sign(receipt).data
            roots = [pki.cert("root")]
            small = max(5, n // 5)
            figures = {
                "n": n,
                "ranking_pages": ranking_pages,
                "generate_receipt_per_s": rate(n, lambda: layouts.application_receipt(
                    header, receipt_data)),
                "generate_ranking_per_s": rate(small, lambda: layouts.ranking(
                    header, ranking_data)),
                "sign_receipt_BB_per_s": rate(n, lambda: bb.sign(receipt)),
                "sign_ranking_BB_per_s": rate(n, lambda: bb.sign(ranking)),
                "sign_receipt_BT_local_tsa_per_s": rate(small, lambda: bt.sign(receipt)),
                "sign_receipt_pyhanko_default_per_s": rate(small, pyhanko_default),
                "generate_and_sign_receipt_BB_per_s": rate(n, lambda: bb.sign(
                    layouts.application_receipt(header, receipt_data))),
                "generate_and_sign_ranking_BB_per_s": rate(small, lambda: bb.sign(
                    layouts.ranking(header, ranking_data))),
                "generate_and_sign_receipt_BT_per_s": rate(small, lambda: bt.sign(
                    layouts.application_receipt(header, receipt_data))),
                "verify_receipt_BB_per_s": rate(small, lambda: verify_pdf(
                    signed_receipt, roots)),
                "verify_receipt_BT_per_s": rate(small, lambda: verify_pdf(signed_bt, roots)),
                "receipt_signed_bytes": len(signed_receipt),
            }
        finally:
            pki.stop()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
