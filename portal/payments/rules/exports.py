"""Rows and layouts of the spending and payment exports and of the monitoring feed (pure).

Values in, values out: the service layer hands over ledger figures and movements already
named (ATS code, call code), these functions shape them into documented columns. Amounts
are written with a dot and two decimals («1234.50», negative for a reversal) in CSV and
JSON, and as numbers in XLSX (the spreadsheet shows them in the reader's locale).
"""
import io
import re
from datetime import date
from typing import NamedTuple

from portal import csvfile
from portal.i18n import _
from portal.payments.rules import funds as fund_table
from portal.payments.rules.errors import PaymentError

#: only this spelling of a day (no week dates, no compact form)
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PAYMENT_KINDS = {"pay": "pagamento", "reversal": "storno"}
#: what the monitoring system calls the movement kinds
MIR_KINDS = {"pay": "PAGAMENTO", "reversal": "STORNO"}


class InvalidPeriod(PaymentError):
    """A period of the monitoring feed that cannot be read."""

    code = "invalid_period"
    http_status = 400
    default_message = _("Periodo non valido.")


class InvalidFilter(PaymentError):
    """A dashboard or export filter naming a call or fund that does not exist."""

    code = "invalid_filter"
    http_status = 400
    default_message = _("Filtro non valido.")


class Figures(NamedTuple):
    """One ATS × call × fund scope of the ledger, named for people and machines."""

    ats_code: str
    ats_title: str
    call_code: str
    call_title: str
    fund: str
    totals: object  # portal.payments.rules.ledger.Totals


class Paid(NamedTuple):
    """One PAY or REVERSAL movement with the names of its ATS and call."""

    ats_code: str
    call_code: str
    call_series: str
    movement: object  # portal.payments.ledger.Movement
    day: date  # the movement's day in Europe/Rome


# -- columns (name, type, description): the README documents the same lists ------------
SPENDING_COLUMNS = (
    ("codice_ambito", "testo", "Codice dell'Ambito territoriale sociale"),
    ("ambito", "testo", "Denominazione dell'Ambito"),
    ("codice_avviso", "testo", "Codice dell'avviso"),
    ("avviso", "testo", "Titolo dell'avviso"),
    ("codice_fondo", "testo", "Fonte di finanziamento (FSE, FNPS, FNA, POV, FGSA, REG, COM, ALT)"),
    ("budget_eur", "decimale", "Budget assegnato, euro"),
    ("impegnato_eur", "decimale", "Somme impegnate (al netto delle economie), euro"),
    ("pagato_eur", "decimale", "Somme liquidate (al netto degli storni), euro"),
    ("residuo_eur", "decimale", "Budget non ancora impegnato, euro"),
    ("da_pagare_eur", "decimale", "Impegnato e non ancora liquidato, euro"),
)
PAYMENT_COLUMNS = (
    ("codice_ambito", "testo", "Codice dell'Ambito territoriale sociale"),
    ("codice_avviso", "testo", "Codice dell'avviso"),
    ("codice_fondo", "testo", "Fonte di finanziamento"),
    ("protocollo_domanda", "testo", "Numero di protocollo della domanda"),
    ("tipo", "testo", "pagamento oppure storno (rettifica)"),
    ("importo_eur", "decimale", "Importo in euro, negativo per uno storno"),
    ("riferimento_atto", "testo", "Atto di liquidazione (o di rettifica) che ha disposto il movimento"),
    ("data", "data", "Giorno del movimento (AAAA-MM-GG, ora italiana)"),
    ("movimento", "intero", "Numero progressivo del movimento nel registro dell'Ambito"),
)
MONITORING_COLUMNS = (
    ("id_record", "testo", "Identificativo stabile del record: codice Ambito e numero del movimento"),
    ("codice_ambito", "testo", "Codice dell'Ambito territoriale sociale (beneficiario dei fondi)"),
    ("codice_avviso", "testo", "Codice dell'avviso (procedura di attivazione)"),
    ("id_serie_avviso", "testo", "Identificativo stabile dell'avviso, uguale per tutte le sue versioni"),
    ("codice_fondo", "testo", "Fonte di finanziamento (FSE, FNPS, FNA, POV, FGSA, REG, COM, ALT)"),
    ("tipo_fondo", "testo", "europeo, statale, regionale, comunale, altre"),
    ("tipo_movimento", "testo", "PAGAMENTO oppure STORNO"),
    ("protocollo_domanda", "testo", "Protocollo della domanda (operazione): nessun nome o codice fiscale"),
    ("importo_eur", "decimale", "Importo in euro, punto decimale e due cifre, negativo per uno storno"),
    ("riferimento_atto", "testo", "Atto di liquidazione o di rettifica"),
    ("data_pagamento", "data", "Giorno del movimento (AAAA-MM-GG, ora italiana)"),
    ("registrato_il", "data e ora", "Istante di registrazione (ISO 8601, UTC)"),
)
MONITORING_LAYOUT = "MIR-BUONI-SERVIZIO-PAGAMENTI"
MONITORING_VERSION = "1"


def names(columns):
    return tuple(name for name, _type, _description in columns)


def decimal_text(value):
    """Dot decimal, two digits: the one spelling of money in CSV and JSON."""
    return f"{value:.2f}"


# -- rows -----------------------------------------------------------------------------
def spending_row(figures):
    """The typed row of one scope (Decimal amounts; ``to_csv`` and XLSX write them)."""
    t = figures.totals
    return {"codice_ambito": figures.ats_code, "ambito": figures.ats_title,
            "codice_avviso": figures.call_code, "avviso": figures.call_title,
            "codice_fondo": figures.fund, "budget_eur": t.budget,
            "impegnato_eur": t.committed, "pagato_eur": t.paid, "residuo_eur": t.remaining,
            "da_pagare_eur": t.unpaid}


def payment_row(paid):
    m = paid.movement
    return {"codice_ambito": paid.ats_code, "codice_avviso": paid.call_code,
            "codice_fondo": m.fund, "protocollo_domanda": m.protocol,
            "tipo": PAYMENT_KINDS[m.kind], "importo_eur": m.amount,
            "riferimento_atto": m.reference, "data": paid.day, "movimento": m.seq}


def monitoring_record(paid):
    m = paid.movement
    return {"id_record": f"{paid.ats_code}-{m.seq}", "codice_ambito": paid.ats_code,
            "codice_avviso": paid.call_code, "id_serie_avviso": paid.call_series,
            "codice_fondo": m.fund, "tipo_fondo": fund_table.fund(m.fund).kind,
            "tipo_movimento": MIR_KINDS[m.kind], "protocollo_domanda": m.protocol,
            "importo_eur": decimal_text(m.amount), "riferimento_atto": m.reference,
            "data_pagamento": paid.day.isoformat(), "registrato_il": m.when.isoformat()}


def is_payment(movement):
    return movement.kind in PAYMENT_KINDS


def in_period(day, start, end):
    return start <= day <= end


def parse_period(start_text, end_text):
    """``(start, end)`` days of ``?dal=AAAA-MM-GG&al=AAAA-MM-GG``; ``InvalidPeriod`` otherwise."""
    days = {}
    for field, sent in (("dal", start_text), ("al", end_text)):
        text = (sent or "").strip()
        if not text:
            raise InvalidPeriod(_("Indicare il giorno «${field}» nella forma AAAA-MM-GG.",
                                  mapping={"field": field}), {field: "obbligatorio"})
        try:
            days[field] = date.fromisoformat(text) if ISO_DAY.fullmatch(text) else None
        except ValueError:
            days[field] = None
        if days[field] is None:
            raise InvalidPeriod(_("Il giorno «${field}» non è una data valida nella forma "
                                  "AAAA-MM-GG: «${text}».",
                                  mapping={"field": field, "text": text[:20]}),
                                {field: "non valido"})
    if days["dal"] > days["al"]:
        raise InvalidPeriod(_("Il periodo non è valido: «dal» (${start}) viene dopo «al» "
                              "(${end}).", mapping={"start": days["dal"].isoformat(),
                                                    "end": days["al"].isoformat()}),
                            {"al": "precede dal"})
    return days["dal"], days["al"]


def monitoring_feed(paid_items, start, end, generated_at):
    """The JSON document of the feed: layout, fields, records and their totals."""
    records = [monitoring_record(p) for p in paid_items]
    by_fund, by_ats = {}, {}
    overall = 0
    for paid in paid_items:
        amount = paid.movement.amount
        overall += amount
        by_fund[paid.movement.fund] = by_fund.get(paid.movement.fund, 0) + amount
        by_ats[paid.ats_code] = by_ats.get(paid.ats_code, 0) + amount
    return {
        "tracciato": MONITORING_LAYOUT, "versione": MONITORING_VERSION,
        "generato_il": generated_at.isoformat(),
        "periodo": {"dal": start.isoformat(), "al": end.isoformat()},
        "campi": [{"nome": n, "tipo": t, "descrizione": d} for n, t, d in MONITORING_COLUMNS],
        "totali": {
            "record": len(records),
            "importo_eur": decimal_text(overall),
            "per_fondo": {code: decimal_text(by_fund[code])
                          for code in fund_table.ordered(by_fund)},
            "per_ambito": {code: decimal_text(by_ats[code]) for code in sorted(by_ats)},
        },
        "record": records,
    }


# -- writing --------------------------------------------------------------------------
def _cell_text(value):
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "quantize"):  # Decimal
        return decimal_text(value)
    return "" if value is None else str(value)


def to_csv(columns, rows):
    """RFC 4180 CSV, UTF-8 with BOM (spreadsheets open it right), comma separated."""
    return csvfile.write(names(columns),
                         ([_cell_text(row[name]) for name in names(columns)] for row in rows))


def xlsx_cell(value):
    """What an XLSX cell holds: Decimal amounts as numbers, days as dates, text as text."""
    if isinstance(value, str):
        return csvfile.safe(value)
    return value


MONEY_FORMAT = "#,##0.00"
DAY_FORMAT = "yyyy-mm-dd"


def to_xlsx(columns, rows, sheet_title):
    """An XLSX workbook (bytes): one sheet, the column names in row 1, typed cells below."""
    from openpyxl import Workbook  # noqa: PLC0415 (only the XLSX exports need it)
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    keys = names(columns)
    sheet.append(list(keys))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    formats = {name: MONEY_FORMAT if kind == "decimale" else DAY_FORMAT if kind == "data"
               else None for name, kind, _description in columns}
    for row in rows:
        sheet.append([xlsx_cell(row[name]) for name in keys])
        for cell, name in zip(sheet[sheet.max_row], keys, strict=True):
            if formats[name]:
                cell.number_format = formats[name]
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
