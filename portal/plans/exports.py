"""CSV and XLSX exports of a plan version: its allocations, sources and interventions.

Amounts are written with a dot and two decimals («1234.50») in CSV, as numbers in XLSX
(the spreadsheet shows them in the reader's locale), like the payments exports; free text
that starts like a formula is neutralised (``portal.csvfile``).
"""
import io

from portal import csvfile
from portal.plans import store
from portal.plans.rules import budget
from portal.plans.rules.nomenclature import nomenclature

#: (name, type): the columns of each table
ALLOCATION_COLUMNS = (
    ("codice_intervento", "testo"), ("intervento", "testo"), ("servizio", "testo"),
    ("area", "testo"), ("obiettivo_fnps", "testo"), ("livello", "testo"),
    ("fonte", "testo"), ("anno", "intero"), ("importo_eur", "decimale"),
)
SOURCE_COLUMNS = (
    ("codice_fonte", "testo"), ("fonte", "testo"), ("tipo", "testo"),
    ("bilancio_ordinario", "testo"), ("anno", "intero"), ("disponibile_eur", "decimale"),
    ("assegnato_eur", "decimale"), ("da_assegnare_eur", "decimale"),
)
INTERVENTION_COLUMNS = (
    ("codice_intervento", "testo"), ("intervento", "testo"), ("servizio", "testo"),
    ("servizio_descrizione", "testo"), ("area", "testo"), ("area_descrizione", "testo"),
    ("obiettivo_fnps", "testo"), ("obiettivo_descrizione", "testo"), ("livello", "testo"),
    ("comuni", "testo"), ("destinatari", "testo"), ("descrizione", "testo"),
    ("ordinario_eur", "decimale"), ("altre_risorse_eur", "decimale"),
)
MONEY_FORMAT = "#,##0.00"


def names(columns):
    return tuple(name for name, _kind in columns)


def allocation_rows(plan):
    """One row per intervention, source and year with an amount, in the plan's order."""
    rows = []
    for i in plan.interventions:
        for s in plan.sources:
            for year in plan.years:
                value = plan.allocations.get((i.code, s.code, year))
                if value is not None:
                    rows.append({"codice_intervento": i.code, "intervento": i.title,
                                 "servizio": i.service, "area": i.area,
                                 "obiettivo_fnps": i.objective, "livello": i.level,
                                 "fonte": s.code, "anno": year, "importo_eur": value})
    return rows


def source_rows(plan):
    cells = budget.by_source_year(plan)
    return [{"codice_fonte": s.code, "fonte": s.title, "tipo": s.kind,
             "bilancio_ordinario": "sì" if s.ordinary else "no", "anno": year,
             "disponibile_eur": cells[s.code, year].available,
             "assegnato_eur": cells[s.code, year].allocated,
             "da_assegnare_eur": cells[s.code, year].remaining}
            for s in plan.sources for year in plan.years]


def _title(entry):
    return entry.title if entry is not None else ""


def intervention_rows(plan):
    table = nomenclature()
    rows = []
    for i in plan.interventions:
        ordinary = budget.intervention_total(plan, i.code, ordinary_only=True)
        rows.append({
            "codice_intervento": i.code, "intervento": i.title, "servizio": i.service,
            "servizio_descrizione": _title(table.service(i.service)), "area": i.area,
            "area_descrizione": _title(table.area(i.area)), "obiettivo_fnps": i.objective,
            "obiettivo_descrizione": _title(table.objective(i.objective)),
            "livello": i.level, "comuni": " ".join(i.municipalities), "destinatari": i.target,
            "descrizione": i.description, "ordinario_eur": ordinary,
            "altre_risorse_eur": budget.intervention_total(plan, i.code) - ordinary})
    return rows


def _csv_text(value):
    if hasattr(value, "quantize"):  # Decimal
        return f"{value:.2f}"
    return "" if value is None else str(value)


def to_csv(plan):
    """The allocation table of ``plan`` (a ``rules.model.Plan``) as CSV (RFC 4180, UTF-8 with BOM)."""
    rows = allocation_rows(plan)
    keys = names(ALLOCATION_COLUMNS)
    return csvfile.write(keys, ([_csv_text(row[k]) for k in keys] for row in rows))


def _sheet(workbook, title, columns, rows):
    """A write-only sheet (one pass, no cell lookups): bold names, typed cells, money formatted."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 (only the XLSX export needs it)
    from openpyxl.styles import Font  # noqa: PLC0415

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    keys = names(columns)
    bold = Font(bold=True)
    head = []
    for key in keys:
        cell = WriteOnlyCell(sheet, value=key)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    money = {k for k, kind in columns if kind == "decimale"}
    for row in rows:
        cells = []
        for key in keys:
            value = row[key]
            cell = WriteOnlyCell(sheet, value=csvfile.safe(value) if isinstance(value, str)
                                 else value)
            if key in money:
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
    return sheet


def to_xlsx(plan):
    """The workbook of ``plan``: allocations, sources (per year) and interventions."""
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    _sheet(workbook, "Allocazioni", ALLOCATION_COLUMNS, allocation_rows(plan))
    _sheet(workbook, "Fonti", SOURCE_COLUMNS, source_rows(plan))
    _sheet(workbook, "Interventi", INTERVENTION_COLUMNS, intervention_rows(plan))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_name(version, ext):
    plan = store.plan_of(version)
    return f"piano-{(plan.district_code or 'ambito').lower()}-{plan.period}-v{version.number}.{ext}"

