"""A printable PDF of one catalogue entry (informative: not signed, not registered)."""
from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from content_types.service_unit import article_title
from content_types.validators import is_personal_code
from content_types.values import euro, format_date
from portal.documents.render import (
    INFORMATION_SHEET,
    build_pdf,
    data_table,
    field_table,
    heading,
    paragraph,
)


def _money(value):
    return euro(value) if value is not None else "non offerto"


def entry_pdf(header, entry, url):
    """The entry as the family reads it on the page: service, place, tariffs, places."""
    unit, provider = entry.unit, entry.provider
    # printed on demand for anyone, so neither signed nor registered (a GET writes nothing):
    # the sheet says so, and its keyword lets /verifica say so too
    header = replace(header, keywords=tuple(header.keywords) + (INFORMATION_SHEET,))
    body = [
        paragraph("Scheda informativa non firmata: riporta i dati del catalogo alla data di "
                  "stampa e non è un documento rilasciato dall'amministrazione. Per i dati "
                  "aggiornati consultare la pagina del servizio indicata in fondo."),
        Spacer(1, 2 * mm),
        paragraph(entry.description) if entry.description else Spacer(1, 1 * mm),
        heading("Servizio"),
        field_table([
            ("Tipo di servizio", entry.service_title),
            ("Codice nomenclatore", entry.nomenclature_code),
            ("Età degli utenti", entry.age_range_text),
            ("Tariffa mensile tempo pieno", _money(entry.tariff_full)),
            ("Tariffa mensile tempo parziale", _money(entry.tariff_part)),
            ("Posti offerti", str(entry.places_offered)),
            ("Posti liberi", str(entry.free_places)),
            ("Periodo", _period(entry)),
        ]),
    ]
    if unit is not None:
        body += [heading("Unità di offerta"), field_table([
            ("Struttura", unit.title),
            ("Indirizzo", f"{unit.address}, {unit.municipality_name}".strip(", ")),
            ("Ambito territoriale", unit.ats_code),
            ("Autorizzazione", (f"{article_title(unit.regulatory_article)} — n. "
                               f"{unit.authorisation_number} del "
                               f"{format_date(unit.authorisation_date)}")),
            ("Capacità ricettiva", str(unit.capacity)),
            ("Calendario di apertura", unit.opening_calendar or "—"),
        ])]
    if provider is not None:
        # a public sheet: the provider as a body; a sole trader's personal code stays out
        legal = [("Denominazione", provider.title)]
        if not is_personal_code(provider.tax_code):
            legal.append(("Codice fiscale / Partita IVA", provider.tax_code))
        legal += [("PEC", provider.pec), ("Sede legale", provider.address or "—")]
        body += [heading("Ente gestore"), field_table(legal)]
    history = entry.tariff_history()
    if history:
        rows = [(format_date(r.effective), _money(r.full_time), _money(r.part_time))
                for r in reversed(history)]
        body += [heading("Storico delle tariffe"),
                 data_table(["In vigore dal", "Tempo pieno", "Tempo parziale"], rows,
                            widths=[30, 35, 35], right_align=(1, 2))]
    body += [Spacer(1, 4 * mm), paragraph(f"Scheda aggiornata: {url}")]
    return build_pdf(header, body)


def _period(entry):
    if entry.period_start and entry.period_end:
        return f"dal {format_date(entry.period_start)} al {format_date(entry.period_end)}"
    if entry.period_start:
        return f"dal {format_date(entry.period_start)}"
    return "—"
