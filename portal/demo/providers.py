"""Demo catalogue: providers, units and entries across the demo ATS (synthetic, valid codes)."""
from datetime import date
from decimal import Decimal

import workflows
from content_types.catalogue_entry import CatalogueEntry
from content_types.provider import Provider
from content_types.service_unit import ServiceUnit
from portal.demo.ids import vat
from workflows.catalogue_entry import DRAFT, PUBLISH, PUBLISHED, SUBMIT, SUBMITTED

#: name -> legal data added to (or created as) providers; the first three exist in demo.py
PROVIDERS = {
    "girasole": {"title": "Cooperativa sociale Il Girasole", "tax_code": vat(1234567),
                     "pec": "girasole@pec.example.it", "address": "Via Sparano 10, 70121 Bari",
                     "legal_representative": "Anna Bianco",
                     "legal_representative_cf": "BNCNNA90A45D862T", "ats_code": "BA-01"},
    "arcobaleno": {"title": "Asilo nido L'Arcobaleno S.r.l.", "tax_code": vat(2345678),
                       "pec": "arcobaleno@pec.example.it", "address": "Via Dante 5, 74123 Taranto",
                       "legal_representative": "Giuseppe Esposito",
                       "legal_representative_cf": "SPSGPP46L21L049R", "ats_code": "TA-01"},
    "salento-cura": {"title": "Salento Cura Società Cooperativa", "tax_code": vat(3456789),
                         "pec": "salentocura@pec.example.it",
                         "address": "Corso Garibaldi 22, 73013 Galatina",
                         "legal_representative": "Marco Conte",
                         "legal_representative_cf": "CNTMRC85P09E506E", "ats_code": "LE-03"},
    "casa-serena": {"title": "Fondazione Casa Serena ETS", "tax_code": vat(4567891),
                        "pec": "casaserena@pec.example.it",
                        "address": "Via Roma 41, 70026 Modugno",
                        "legal_representative": "Maria Rossi",
                        "legal_representative_cf": "RSSMRA88C52A662W", "ats_code": "BA-01"},
}

#: provider, unit name, title, address, ISTAT, lat, lon, article, auth. no., date, capacity,
#: calendar
UNITS = (
    ("girasole", "nido-girasole", "Asilo nido Il Girasole", "Via Sparano 10", "072006",
     41.1223, 16.8681, "art. 53", "BA/2019/0142", date(2019, 6, 12), 40,
     "Lunedì–venerdì 7:30–16:30; chiuso ad agosto"),
    ("girasole", "centro-diurno-girasole", "Centro socio-educativo Il Girasole",
     "Via Bitritto 88", "072006", 41.0960, 16.8590, "art. 52", "BA/2021/0377",
     date(2021, 2, 3), 30, "Lunedì–sabato 14:30–19:30"),
    ("arcobaleno", "nido-arcobaleno", "Asilo nido L'Arcobaleno", "Via Dante 5", "073027",
     40.4668, 17.2431, "art. 53", "TA/2018/0051", date(2018, 9, 1), 36,
     "Lunedì–venerdì 7:45–17:00"),
    ("arcobaleno", "primavera-statte", "Sezione primavera Arcobaleno Statte",
     "Via delle Sorgenti 3", "073029", 40.5640, 17.2049, "art. 53", "TA/2022/0210",
     date(2022, 7, 15), 20, "Lunedì–venerdì 8:00–14:00"),
    ("salento-cura", "diurno-galatina", "Centro diurno Salento Cura", "Via Pisanelli 14",
     "075029", 40.1745, 18.1702, "art. 60", "LE/2017/0098", date(2017, 11, 20), 25,
     "Lunedì–venerdì 8:30–16:30"),
    ("salento-cura", "sad-soleto", "Servizio domiciliare Salento Cura — Soleto",
     "Piazza Osanna 2", "075077", 40.1876, 18.2057, "art. 87", "LE/2020/0133",
     date(2020, 1, 10), 60, "Tutti i giorni 7:00–20:00, su appuntamento"),
    ("casa-serena", "diurno-anziani-modugno", "Centro diurno per anziani Casa Serena",
     "Via Roma 41", "072027", 41.0839, 16.7818, "art. 68", "BA/2016/0020",
     date(2016, 4, 4), 35, "Lunedì–venerdì 8:00–18:00"),
)

#: unit, entry name, title, service, age min/max (months), full, part, places, state,
#: description
ENTRIES = (
    ("nido-girasole", "nido-tempo-pieno", "Nido Il Girasole — 3-36 mesi", "asilo-nido", 3, 36,
     "520.00", "380.00", 12, PUBLISHED,
     "Sezioni per lattanti, semidivezzi e divezzi; mensa interna con menù approvato dalla ASL."),
    ("centro-diurno-girasole", "doposcuola", "Centro socio-educativo — 6-14 anni",
     "centro-diurno-minori", 72, 179, "310.00", None, 15, PUBLISHED,
     "Sostegno scolastico, laboratori espressivi e attività sportive pomeridiane."),
    ("nido-arcobaleno", "nido-arcobaleno", "Nido L'Arcobaleno — 3-36 mesi", "asilo-nido", 3, 36,
     "480.00", "340.00", 10, PUBLISHED,
     "Giardino attrezzato, progetto educativo bilingue, ingresso flessibile."),
    ("primavera-statte", "primavera", "Sezione primavera — 24-36 mesi", "sezione-primavera",
     24, 36, "290.00", None, 1, PUBLISHED,
     "Sezione di raccordo con la scuola dell'infanzia; ultimo posto disponibile."),
    ("diurno-galatina", "diurno-disabili", "Centro diurno per persone con disabilità",
     "centro-diurno-disabili", 216, 780, "950.00", "600.00", 8, PUBLISHED,
     "Attività socio-educative e riabilitative, trasporto incluso entro 15 km."),
    ("sad-soleto", "sad", "Assistenza domiciliare — Soleto e dintorni",
     "assistenza-domiciliare", 780, 1320, "420.00", "250.00", 20, SUBMITTED,
     "Igiene personale, aiuto domestico, accompagnamento; pacchetti da 20 o 40 ore mensili."),
    ("diurno-anziani-modugno", "diurno-anziani", "Centro diurno per anziani Casa Serena",
     "centro-diurno-anziani", 780, 1440, "650.00", "400.00", 12, PUBLISHED,
     "Animazione, attività motoria, pranzo e trasporto; supporto ai familiari."),
    ("diurno-anziani-modugno", "diurno-anziani-estate", "Casa Serena — modulo estivo",
     "centro-diurno-anziani", 780, 1440, "600.00", None, 6, DRAFT,
     "Modulo estivo con uscite al mare (bozza, non ancora inviata)."),
)
PUBLISHED_ON = date(2025, 9, 1)
#: one entry shows a tariff change: from January 2026 the nursery costs more
TARIFF_CHANGE = ("nido-tempo-pieno", date(2026, 1, 1), "540.00", "390.00")


def add_catalogue_demo(portal, registry):
    """Idempotent: completes the demo providers and adds what is missing. Returns entry paths."""
    catalogo = portal["catalogo"]
    for name, data in PROVIDERS.items():
        provider = catalogo.get(name)
        if provider is None:
            provider = Provider(title=data["title"], creator="admin")
            provider.set_data(data)
            catalogo.add(name, provider, registry=registry)
        else:
            for key, value in data.items():
                if not getattr(provider, key, ""):
                    setattr(provider, key, value)
    units = {}
    for (provider_name, name, title, address, istat, lat, lon, article, number, day,
         capacity, calendar) in UNITS:
        provider = catalogo[provider_name]
        if name not in provider:
            unit = ServiceUnit(title=title, creator="admin")
            unit.set_data({
                "address": address, "municipality_code": istat, "latitude": lat,
                "longitude": lon, "regulatory_article": article,
                "authorisation_number": number, "authorisation_date": day,
                "capacity": capacity, "opening_calendar": calendar,
            })
            unit.locate(anchor=portal)
            provider.add(name, unit, registry=registry)
        units[name] = provider[name]
    paths = []
    for (unit_name, name, title, service, low, high, full, part, places, state,
         description) in ENTRIES:
        unit = units[unit_name]
        if name not in unit:
            entry = CatalogueEntry(title=title, creator="admin")
            entry.set_data({
                "description": description, "service_type": service,
                "age_min_months": low, "age_max_months": high,
                "tariff_full": Decimal(full), "tariff_part": Decimal(part) if part else None,
                "places_offered": places, "period_start": date(2025, 9, 1),
                "period_end": date(2026, 7, 31),
            })
            unit.add(name, entry, registry=registry)
            _move_to(entry, state, registry)
        paths.append(f"catalogo/{unit.__parent__.__name__}/{unit_name}/{name}")
    return paths


def _move_to(entry, state, registry):
    """Walk the workflow as the provider and the Region would (system caller: no request)."""
    if state == DRAFT:
        return
    workflows.fire(entry, None, SUBMIT, registry=registry)
    if state == SUBMITTED:
        return
    entry.publish_tariff(PUBLISHED_ON, who="regione")
    name, day, full, part = TARIFF_CHANGE
    if entry.__name__ == name:
        entry.record_tariff(day, Decimal(full), Decimal(part), who="regione")
        entry.tariff_full, entry.tariff_part = Decimal(full), Decimal(part)
    workflows.fire(entry, None, PUBLISH, registry=registry)
