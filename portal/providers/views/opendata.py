"""The open-data export of the published catalogue: one row per entry, documented columns."""
from content_types.catalogue_entry import USER_AREAS
from portal import csvfile

LICENSE = "CC-BY-4.0"

#: (column, type, description) — the README documents the same list
COLUMNS = (
    ("id_voce", "testo", "Identificativo stabile della voce (uid)"),
    ("url", "URL", "Pagina pubblica della voce"),
    ("denominazione_voce", "testo", "Nome dell'offerta"),
    ("codice_servizio", "testo", "Tipo di servizio (codice del portale)"),
    ("servizio", "testo", "Tipo di servizio"),
    ("codice_area_utenza", "testo", "Area di utenza ISTAT (FAM, DIS, ELD, POV, MULBEN)"),
    ("area_utenza", "testo", "Area di utenza"),
    ("codice_nomenclatore", "testo", "Codice del servizio nel nomenclatore"),
    ("eta_min_mesi", "intero", "Età minima dell'utente in mesi"),
    ("eta_max_mesi", "intero", "Età massima dell'utente in mesi"),
    ("tariffa_tempo_pieno_eur", "decimale", "Tariffa mensile a tempo pieno in vigore, euro"),
    ("tariffa_tempo_parziale_eur", "decimale",
     "Tariffa mensile a tempo parziale in vigore, euro (vuoto se non offerto)"),
    ("posti_offerti", "intero", "Posti offerti nel periodo"),
    ("posti_liberi", "intero", "Posti ancora liberi"),
    ("periodo_inizio", "data", "Inizio del periodo (AAAA-MM-GG), se indicato"),
    ("periodo_fine", "data", "Fine del periodo (AAAA-MM-GG), se indicato"),
    ("unita_offerta", "testo", "Nome dell'unità di offerta (struttura)"),
    ("indirizzo", "testo", "Indirizzo della struttura"),
    ("codice_istat_comune", "testo", "Codice ISTAT del comune (6 cifre)"),
    ("comune", "testo", "Comune"),
    ("codice_ambito", "testo", "Codice dell'Ambito territoriale sociale"),
    ("latitudine", "decimale", "Latitudine WGS84 (vuoto se non indicata)"),
    ("longitudine", "decimale", "Longitudine WGS84 (vuoto se non indicata)"),
    ("articolo_autorizzazione", "testo", "Articolo del R.R. Puglia 4/2007"),
    ("numero_autorizzazione", "testo", "Numero dell'autorizzazione al funzionamento"),
    ("data_autorizzazione", "data", "Data dell'autorizzazione (AAAA-MM-GG)"),
    ("capacita_struttura", "intero", "Capacità ricettiva della struttura"),
    ("calendario_apertura", "testo", "Giorni e orari di apertura"),
    ("ente_gestore", "testo", "Denominazione dell'ente gestore"),
    ("partita_iva_ente", "testo",
     "Partita IVA / codice fiscale numerico dell'ente (vuoto per le persone fisiche)"),
    ("pec_ente", "testo", "PEC dell'ente gestore"),
    ("ultima_modifica", "data e ora", "Ultima modifica della voce (ISO 8601, UTC)"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)


def _iso(value):
    return value.isoformat() if value is not None else ""


def _text(value):
    return "" if value is None else str(value)


def row_for(request, entry):
    """The export row of one published entry (strings, dates ISO, money with a dot)."""
    unit = entry.unit
    provider = entry.provider
    tax_code = getattr(provider, "tax_code", "") or ""
    return {
        "id_voce": entry.uid,
        "url": request.resource_url(entry),
        "denominazione_voce": entry.title,
        "codice_servizio": entry.service_type,
        "servizio": entry.service_title,
        "codice_area_utenza": entry.user_area,
        "area_utenza": USER_AREAS.get(entry.user_area, ""),
        "codice_nomenclatore": entry.nomenclature_code,
        "eta_min_mesi": entry.age_min_months,
        "eta_max_mesi": entry.age_max_months,
        "tariffa_tempo_pieno_eur": _text(entry.tariff_full),
        "tariffa_tempo_parziale_eur": _text(entry.tariff_part),
        "posti_offerti": entry.places_offered,
        "posti_liberi": entry.free_places,
        "periodo_inizio": _iso(entry.period_start),
        "periodo_fine": _iso(entry.period_end),
        "unita_offerta": unit.title if unit else "",
        "indirizzo": unit.address if unit else "",
        "codice_istat_comune": unit.municipality_code if unit else "",
        "comune": unit.municipality_name if unit else "",
        "codice_ambito": unit.ats_code if unit else "",
        "latitudine": _text(unit.latitude) if unit else "",
        "longitudine": _text(unit.longitude) if unit else "",
        "articolo_autorizzazione": unit.regulatory_article if unit else "",
        "numero_autorizzazione": unit.authorisation_number if unit else "",
        "data_autorizzazione": _iso(unit.authorisation_date) if unit else "",
        "capacita_struttura": unit.capacity if unit else "",
        "calendario_apertura": unit.opening_calendar if unit else "",
        "ente_gestore": provider.title if provider else "",
        # a 16-character code is a person's: personal data stays out of open data
        "partita_iva_ente": tax_code if tax_code.isdigit() else "",
        "pec_ente": getattr(provider, "pec", "") if provider else "",
        "ultima_modifica": _iso(entry.modified),
    }


def to_csv(rows):
    """RFC 4180 CSV, UTF-8 with BOM (spreadsheets open it right), comma separated."""
    return csvfile.write(COLUMN_NAMES, ([row.get(name, "") for name in COLUMN_NAMES]
                                        for row in rows))


def to_json(rows, generated_at):
    return {
        "titolo": "Catalogo telematico dell'offerta — voci pubblicate",
        "licenza": LICENSE,
        "generato_il": generated_at.isoformat(),
        "colonne": [{"nome": n, "tipo": t, "descrizione": d} for n, t, d in COLUMNS],
        "totale": len(rows),
        "voci": rows,
    }


