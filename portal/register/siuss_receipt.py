"""The «Ricevuta di trasmissione SIUSS»: the PDF the document service signs and registers.

It names the flow, the ATS, the period, the operator, how many benefits went and how many
did not, and the SHA-256 of the XML sent: anyone holding the file can prove it is that one.
No personal data of the beneficiaries is printed.
"""
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from content_types.values import format_date, format_datetime
from portal.documents.render import build_pdf, field_table, heading, paragraph

#: the document registry's kind of a SIUSS receipt
KIND = "siuss"


def title_of(name):
    return f"Ricevuta di trasmissione SIUSS — flusso {name}"


def receipt(header, data):
    """data: name, district, period_start, period_end, operator, operator_name, when, beneficiaries,
    sent, inserts, cancellations, not_sent, sha256."""
    body = [
        paragraph(f"Si attesta che in data {format_datetime(data['when'])} l'{data['district']} "
                  f"ha generato il flusso PS/PSA per il Casellario dell'assistenza (SIUSS) "
                  f"indicato di seguito, validato rispetto allo schema INPS "
                  f"PS_PSA_SINA201806."),
        Spacer(1, 3 * mm),
        heading("Flusso"),
        field_table([
            ("Nome del flusso", data["name"]),
            ("Ente", data["district"]),
            ("Periodo", (f"dal {format_date(data['period_start'])} "
                         f"al {format_date(data['period_end'])}")),
            ("Operatore", f"{data['operator_name']} ({data['operator']})"),
            ("Generato il", format_datetime(data["when"])),
        ]),
        heading("Contenuto"),
        field_table([
            ("Beneficiari trasmessi", str(data["beneficiaries"])),
            ("Prestazioni trasmesse", str(data["sent"])),
            ("di cui inserimenti", str(data["inserts"])),
            ("di cui cancellazioni", str(data["cancellations"])),
            ("Prestazioni non trasmesse (con errori)", str(data["not_sent"])),
        ]),
        heading("Impronta del file XML"),
        field_table([("SHA-256", data["sha256"])]),
        Spacer(1, 4 * mm),
        paragraph("Le prestazioni non trasmesse sono elencate, con i motivi, nel rapporto degli "
                  "errori della trasmissione: corretti i dati, saranno comprese nel flusso "
                  "successivo."),
    ]
    return build_pdf(header, body)
