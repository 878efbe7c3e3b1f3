"""Demo editorial content: news of the Region and of BA-01, service pages, the published guide.

Idempotent like the rest of the demo: only what is missing is created, and it is
published as an editor and a reviewer would (submitted, then published).
"""
from datetime import timedelta

import workflows
from content_types.news import NewsItem
from content_types.security import OWNER, set_local_roles, user_principal
from content_types.service_page import ServicePage
from content_types.values import rome_today
from portal.demo.applications import CALL_CODE
from workflows.editorial import PRIVATE, PUBLISH, SUBMIT

#: (container path, name, days before today, title, description, body), by the Region's editors
NEWS = (
    ("regione", "domande-buoni-minori-2026", 30, "Aperte le domande per i Buoni servizio minori 2026",
     "Le famiglie con bambini da 3 a 36 mesi possono chiedere il buono per il nido.",
     ("Le domande si presentano online, dal portale, scegliendo il servizio dal Catalogo "
     "dell'offerta.\n\nServe un'attestazione ISEE per prestazioni rivolte ai minorenni in corso "
     "di validità.")),
    ("regione", "catalogo-offerta-aggiornato", 12, "Catalogo dell'offerta aggiornato",
     "Nuove strutture accreditate nei tre Ambiti.",
     ("Il Catalogo dell'offerta raccoglie le strutture accreditate dalla Regione, con tariffe e "
     "posti liberi.\n\nLe strutture sono cercabili per comune, tipo di servizio ed età.")),
    ("regione", "giornata-informativa-infanzia", 3, "Giornata informativa sui servizi per l'infanzia",
     "Un incontro per famiglie ed enti gestori sui Buoni servizio.",
     ("La Regione presenta i Buoni servizio e risponde alle domande di famiglie, enti gestori e "
     "uffici di Ambito.")),
    ("ambiti/ba-01", "sportello-buoni-bari", 5, "Sportello informativo sui Buoni servizio a Bari",
     "L'Ufficio di Piano dell'Ambito di Bari aiuta le famiglie a presentare la domanda.",
     "Lo sportello è aperto il martedì e il giovedì dalle 9 alle 12 presso l'Ufficio di Piano."),
)

#: (container path, name, title, description, sections, call code)
SERVICE_PAGES = (
    ("regione", "buoni-servizio-infanzia", "Buoni servizio per l'infanzia (0–36 mesi)",
     ("Un contributo per la retta del nido o della sezione primavera scelti dal Catalogo "
     "dell'offerta."),
     {"audience": "Famiglie residenti in Puglia con bambini da 3 a 36 mesi e un ISEE per "
                  "prestazioni rivolte ai minorenni fino a 40.000 euro.",
      "how_to": "Scegliere il servizio nel Catalogo dell'offerta, poi presentare la domanda online "
                "all'Ambito di residenza.\n\nLa struttura scelta conferma il posto; l'Ambito "
                "istruisce la domanda e pubblica la graduatoria.",
      "requirements": "Credenziali SPID o CIE; attestazione ISEE in corso di validità; codice "
                      "fiscale del bambino.",
      "deadlines": "Le domande si presentano fino alla chiusura dell'avviso; la struttura conferma "
                   "l'abbinamento entro i giorni indicati dall'avviso.",
      "costs": "La domanda è gratuita. Il buono copre la retta al netto della quota a carico della "
               "famiglia, che dipende dall'ISEE.",
      "contacts": "Ufficio di Piano del proprio Ambito territoriale sociale; Regione Puglia, "
                  "Sezione Inclusione sociale attiva."},
     CALL_CODE),
    ("regione", "accreditamento-enti-gestori", "Accreditamento delle strutture nel Catalogo dell'offerta",
     "Come un ente gestore iscrive le proprie strutture e i propri servizi nel Catalogo.",
     {"audience": "Enti gestori di servizi socio-educativi e socio-assistenziali autorizzati al "
                  "funzionamento in Puglia.",
      "how_to": "Registrare l'ente dal portale, poi inserire le unità di offerta e le voci del "
                "catalogo e inviarle per l'accreditamento regionale.",
      "requirements": "PEC dell'ente; autorizzazione al funzionamento della struttura; tariffe e "
                      "posti offerti.",
      "deadlines": "La Regione esamina le voci inviate in ordine di arrivo.",
      "costs": "Nessun costo.",
      "contacts": "Regione Puglia, Sezione Inclusione sociale attiva."},
     ""),
)
EDITORS = {"regione": "redazione-regione", "ambiti/ba-01": "redazione-ba01"}


def find(portal, path):
    obj = portal
    for part in path.split("/"):
        obj = obj[part]
    return obj


def publish(obj, registry):
    """Submitted by its editor, published by the reviewer: the history reads as in real use."""
    workflows.fire(obj, None, SUBMIT, registry=registry)
    workflows.fire(obj, None, PUBLISH, registry=registry)


def add(container, name, obj, editor, registry):
    set_local_roles(obj, user_principal(editor), {OWNER})
    container.add(name, obj, registry=registry)
    publish(obj, registry)


def add_editorial_demo(portal, registry, today=None):
    """Idempotent: the news, the service pages, and the guide published if still a new draft."""
    today = today or rome_today()
    for path, name, days, title, description, body in NEWS:
        container = find(portal, path)
        if name not in container:
            editor = EDITORS[path]
            add(container, name, NewsItem(title=title, description=description, body=body,
                                          date=today - timedelta(days=days), creator=editor),
                editor, registry)
    for path, name, title, description, sections, call_code in SERVICE_PAGES:
        container = find(portal, path)
        if name not in container:
            editor = EDITORS[path]
            add(container, name, ServicePage(title=title, description=description,
                                             call_code=call_code, creator=editor, **sections),
                editor, registry)
    guide = portal["documenti"].get("guida-buoni-servizio")
    # only a guide nobody moved yet: an administrator's retraction stays
    if guide is not None and guide.state == PRIVATE and len(guide.workflow_history) == 1:
        workflows.fire(guide, None, PUBLISH, registry=registry)
