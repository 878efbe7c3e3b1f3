"""Document templates: functions from plain data to PDF bytes (unsigned).

Each takes a ``Header`` (office, title, protocol, date, verify URL) and a
mapping of plain values; the keys each one reads are listed in its docstring.
"""
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from content_types.values import euro, format_date, format_datetime
from portal.documents.render import (
    Header,
    build_pdf,
    data_table,
    field_table,
    heading,
    paragraph,
)


def _money_sum(values):
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def district_name(title):
    """The district as a sentence names it: «Ambito territoriale di Bari», never «Ambito Ambito …»."""
    title = (title or "").strip()
    return title if title.lower().startswith("ambito") else f"Ambito {title}".strip()


def _filled(pairs):
    """Only the (label, value) pairs that have a value: a document shows no empty line."""
    return [(label, value) for label, value in pairs if value not in (None, "")]


def application_receipt(header: Header, data) -> bytes:
    """Receipt of a submitted application.

    data: applicant_name, fiscal_code, call_title, district, submitted_at,
    service (entry title), unit (service unit title), provider (provider title),
    fields (list of (label, value)), attachments (list of file names).
    """
    body = [
        paragraph(
            f"Si attesta che in data {format_datetime(data.get('submitted_at'))} è stata "
            f"presentata la domanda di partecipazione all'avviso «{data.get('call_title', '')}» "
            f"per l'{district_name(data.get('district'))}."),
        Spacer(1, 3 * mm),
        heading("Richiedente"),
        field_table([("Nome e cognome", data.get("applicant_name", "")),
                     ("Codice fiscale", data.get("fiscal_code", ""))]),
    ]
    service = _filled([("Servizio scelto", data.get("service")),
                       ("Unità di offerta", data.get("unit")),
                       ("Ente gestore", data.get("provider"))])
    if service:
        body += [heading("Servizio richiesto"), field_table(service)]
    if data.get("fields"):
        body += [heading("Dati della domanda"), field_table(data["fields"])]
    attachments = data.get("attachments") or ()
    body += [heading("Allegati"),
             paragraph(", ".join(attachments) if attachments else "Nessun allegato.")]
    body += [Spacer(1, 4 * mm), paragraph(
        "La presente ricevuta non costituisce ammissione al beneficio. L'esito "
        "dell'istruttoria sarà comunicato tramite il portale.")]
    return build_pdf(header, body)


def ranking(header: Header, data) -> bytes:
    """A ranking (graduatoria).

    data: call_title, district, approved_at, act_reference, rows (list of dicts with
    position, protocol, applicant, score, isee, outcome), notes.
    """
    source = list(data.get("rows", ()))
    columns = [("Pos.", 8, True, lambda r: str(r.get("position", ""))),
               ("Protocollo", 22, False, lambda r: r.get("protocol", "")),
               ("Richiedente", 40, False, lambda r: r.get("applicant", "")),
               ("Priorità", 12, False, lambda r: str(r.get("score", "") or "")),
               ("ISEE", 16, True, lambda r: euro(r["isee"])
                if r.get("isee") is not None else ""),
               ("Esito", 18, False, lambda r: r.get("outcome", ""))]
    # a published ranking is public: a column appears only when some row fills it
    # (no names, no ISEE, no priority column when nobody claimed one)
    columns = [c for c in columns if c[0] in ("Pos.", "Protocollo")
               or any(c[3](r) for r in source)]
    rows = [tuple(c[3](r) for c in columns) for r in source]
    body = [
        field_table(_filled([
            ("Avviso", data.get("call_title")),
            ("Ambito", data.get("district")),
            ("Atto di approvazione", data.get("act_reference")),
            ("Data di pubblicazione", format_date(data["approved_at"])
             if data.get("approved_at") else "")])),
        Spacer(1, 3 * mm),
        data_table([c[0] for c in columns], rows, widths=[c[1] for c in columns],
                   right_align=tuple(i for i, c in enumerate(columns) if c[2])),
    ]
    if data.get("notes"):
        body += [heading("Note"), paragraph(data["notes"])]
    return build_pdf(header, body)


def payment_act(header: Header, data) -> bytes:
    """A payment act (atto di liquidazione).

    data: act_number, period, legal_basis, rows (list of dicts with beneficiary,
    fiscal_code, reference, amount as Decimal), manager (name of the officer);
    optional: by_provider and by_fund (lists of (label, Decimal) totals), corrects
    (the protocol of the act this one corrects) and reason (why).
    """
    rows = data.get("rows", ())
    total = _money_sum(r.get("amount", 0) for r in rows)
    table_rows = [(r.get("beneficiary", ""), r.get("fiscal_code", ""), r.get("reference", ""),
                   euro(r.get("amount", 0))) for r in rows]
    table_rows.append(("Totale", "", "", euro(total)))
    fields = [("Atto n.", data.get("act_number", "")),
              ("Periodo", data.get("period", "")),
              ("Riferimenti normativi", data.get("legal_basis", ""))]
    if data.get("corrects"):
        fields += [("Rettifica l'atto n.", data["corrects"]),
                   ("Motivazione della rettifica", data.get("reason", ""))]
    body = [
        field_table(fields),
        heading("Liquidazioni disposte"),
        data_table(["Beneficiario", "Codice fiscale / P. IVA", "Riferimento", "Importo"],
                   table_rows, widths=[35, 22, 28, 15], right_align=(3,)),
    ]
    for title, label, key in (("Totali per ente gestore", "Ente gestore", "by_provider"),
                              ("Totali per fonte di finanziamento", "Fondo", "by_fund")):
        pairs = data.get(key) or ()
        if pairs:
            body += [heading(title),
                     data_table([label, "Importo"],
                                [(name, euro(amount)) for name, amount in pairs],
                                widths=[80, 20], right_align=(1,))]
    body += [
        Spacer(1, 6 * mm),
        paragraph(f"Il responsabile del procedimento: {data.get('manager', '')}"),
    ]
    return build_pdf(header, body)


def attestation(header: Header, data) -> bytes:
    """A monthly attestation of services delivered by a provider.

    data: provider, beneficiary, month; the monthly record (all optional): unit,
    beneficiary_fiscal_code, protocol, open_days, attended_days, absences, full_time,
    tariff, family_share, voucher_share (Decimal), invoice_number, invoice_date,
    invoice_amount, code (ties a signed copy to its attestation); or the older detail:
    rows (list of dicts with date, description, hours), amount (Decimal); statement.
    """
    def money(key):
        return euro(data[key]) if data.get(key) is not None else ""

    def number(key):
        return str(data[key]) if data.get(key) is not None else ""

    full_time = data.get("full_time")
    body = [field_table(_filled([
        ("Ente gestore", data.get("provider", "")),
        ("Unità di offerta", data.get("unit")),
        ("Beneficiario", data.get("beneficiary", "")),
        ("Codice fiscale del beneficiario", data.get("beneficiary_fiscal_code")),
        ("Domanda", data.get("protocol")),
        ("Mese di riferimento", data.get("month", "")),
        ("Frequenza", "" if full_time is None else ("tempo pieno" if full_time
                                                     else "tempo parziale")),
        ("Giorni di apertura", number("open_days")),
        ("Giorni di presenza", number("attended_days")),
        ("Assenze", number("absences")),
        ("Tariffa mensile", money("tariff")),
        ("Quota a carico della famiglia", money("family_share")),
        ("Quota del buono", money("voucher_share")),
        ("Importo attestato", money("amount")),
    ]))]
    invoice = _filled([("Numero", data.get("invoice_number")),
                       ("Data", format_date(data["invoice_date"])
                        if data.get("invoice_date") else ""),
                       ("Importo", money("invoice_amount"))])
    if invoice:
        body += [heading("Fattura"), field_table(invoice)]
    if data.get("rows"):
        rows = [(format_date(r.get("date")), r.get("description", ""),
                 str(r.get("hours", ""))) for r in data["rows"]]
        body += [heading("Prestazioni erogate"),
                 data_table(["Data", "Prestazione", "Ore"], rows, widths=[15, 70, 15],
                            right_align=(2,))]
    if data.get("statement"):
        body += [Spacer(1, 3 * mm), paragraph(data["statement"])]
    if data.get("code"):
        body += [Spacer(1, 3 * mm), paragraph(f"Codice attestazione: {data['code']}")]
    return build_pdf(header, body)


#: the line every summary of a version not (yet) approved carries
DRAFT_MARK = "BOZZA — non approvato"


def _figure_cells(figure):
    """(available, allocated, left) of a ``(available, allocated)`` pair, as euro text."""
    available, allocated = figure
    return euro(available), euro(allocated), euro(available - allocated)


def _source_table(sources, total, total_label, years):
    """Fonte | Anno | Disponibile | Assegnato | Da assegnare: each year, then the period."""
    rows = []
    for source in [*sources, {"title": total_label, **total}]:
        for index, year in enumerate(years):
            rows.append((source["title"] if index == 0 else "", str(year),
                         *_figure_cells(source["years"][year])))
        rows.append(("", "Totale periodo", *_figure_cells(source["period"])))
    return data_table(["Fonte", "Anno", "Disponibile", "Assegnato", "Da assegnare"], rows,
                      widths=[34, 14, 18, 17, 17], right_align=(2, 3, 4), wrap_over=30)


def zone_plan_summary(header: Header, data) -> bytes:
    """Summary of a version of a zone plan (piano sociale di zona): its budget by source and
    by intervention, the allocations and, for a draft, what is still to fix.

    data: fields (list of (label, value): ATS, period, version, state, dates), draft (True
    while not approved), years; ordinary_sources and other_sources (lists of dicts with
    title, years {year: (available, allocated)}, period (available, allocated), Decimals),
    ordinary_total and other_total (dicts with years and period); interventions (dicts with
    code, title, service, area, objective, level, ordinary, other: Decimal totals over the
    period); allocations (dicts with intervention, source, years {year: Decimal},
    period); problems (texts); notes.
    """
    years = tuple(data.get("years", ()))
    body = []
    if data.get("draft"):
        body += [heading(DRAFT_MARK), paragraph(
            "Riepilogo di una versione non ancora approvata dalla Regione, con i dati del "
            "momento della stampa: è firmato digitalmente perché se ne possa verificare "
            "l'integrità, ma non è registrato tra i documenti emessi e non ha valore di "
            "piano approvato.")]
    body.append(field_table(_filled(data.get("fields", ()))))
    body += [heading("Risorse del bilancio ordinario"),
             _source_table(data.get("ordinary_sources", ()), data["ordinary_total"],
                           "Totale bilancio ordinario", years)]
    if data.get("other_sources"):
        body += [heading("Altre risorse (fuori dal bilancio ordinario)"),
                 _source_table(data["other_sources"], data["other_total"],
                               "Totale altre risorse", years)]
    interventions = data.get("interventions", ())
    body.append(heading("Interventi"))
    if interventions:
        body.append(data_table(
            ["Codice", "Intervento", "Classificazione", "Livello", "Ordinario",
             "Altre risorse"],
            [(i["code"], i["title"],
              f"Servizio: {i['service']}; area: {i['area']}; obiettivo FNPS: {i['objective']}",
              i["level"], euro(i["ordinary"]), euro(i["other"])) for i in interventions],
            widths=[9, 20, 32, 11, 14, 14], right_align=(4, 5), wrap_over=16))
    else:
        body.append(paragraph("Il piano non ha ancora interventi."))
    allocations = data.get("allocations", ())
    if allocations:
        body += [heading("Allocazione delle risorse per intervento e fonte"), data_table(
            ["Intervento", "Fonte", *(str(y) for y in years), "Periodo"],
            [(a["intervention"], a["source"], *(euro(a["years"].get(y, 0)) for y in years),
              euro(a["period"])) for a in allocations],
            widths=[16, 12, *([18] * len(years)), 18],
            right_align=tuple(range(2, 3 + len(years))))]
    if data.get("draft"):
        problems = data.get("problems", ())
        body.append(heading("Problemi da correggere prima dell'invio"))
        body += ([paragraph(f"• {text}") for text in problems] if problems else
                 [paragraph("Nessuno: il piano rispetta tutti i vincoli.")])
    if data.get("notes"):
        body += [heading("Note"), paragraph(data["notes"])]
    return build_pdf(header, body)


def _display(value):
    if isinstance(value, Decimal):
        return euro(value)
    if hasattr(value, "isoformat"):
        return format_datetime(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_display(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    return str(value)


def _public_names(obj):
    return sorted(k for k in vars(obj) if not k.startswith("_") and k != "title")


def object_fields(obj, names=None):
    """(label, value) pairs of ``obj``: the named schema fields, else its public attributes."""
    if names is None:
        names = _public_names(obj)
    data = obj.get_data(names) if hasattr(obj, "get_data") else {n: getattr(obj, n, None) for n in names}
    return [(name.replace("_", " ").capitalize(), _display(data.get(name))) for name in names]


def render_object(header: Header, obj, names=None, labels=None) -> bytes:
    """Any content object as a PDF: its title then its fields (``labels`` maps name->label)."""
    names = list(names) if names is not None else _public_names(obj)
    pairs = object_fields(obj, names)
    if labels:
        pairs = [(labels.get(n, p[0]), p[1]) for n, p in zip(names, pairs, strict=True)]
    body = []
    if getattr(obj, "title", "") and obj.title != header.title:
        body.append(heading(obj.title))
    body.append(field_table(pairs))
    return build_pdf(header, body)


TEMPLATES = {
    "ricevuta": application_receipt,
    "graduatoria": ranking,
    "liquidazione": payment_act,
    "attestazione": attestation,
    "piano": zone_plan_summary,
}
