"""The SINA fields of an assessment of a dependent person (the XSD's enumerations, as data).

Keys are the XSD's attribute names, so the SIUSS flow writes them as they are; titles are
the XSD's documentation, in Italian.
"""
from portal.cases.rules.errors import InvalidCaseData
from portal.i18n import _

#: attribute -> (required, {value: title})
FIELDS = {
    "Mobilita": (True, {"1": _("Si sposta da solo"), "2": _("Si sposta assistito"),
                        "3": _("Non si sposta")}),
    "AttivitaVitaQuotidiana": (True, {"1": _("Autonomo"), "2": _("Parzialmente dipendente"),
                                      "3": _("Totalmente dipendente")}),
    "DisturbiAreaCognitiva": (False, {"1": _("Lievi"), "2": _("Moderati"), "3": _("Gravi")}),
    "DisturbiComportamentali": (True, {"1": _("Assenti"), "2": _("Presenti")}),
    "NecessitaCureSanitarie": (True, {"1": _("Bassa"), "2": _("Media"), "3": _("Alta")}),
    "AreaReddituale": (True, {
        "1": _("Autonomo e in equilibrio finanziario"),
        "2": _("Riceve aiuto da parenti e/o da altre persone"),
        "3": _("In condizione di bisogno economico e senza aiuti da parenti o altre persone")}),
    "AreaSupporto": (True, {
        "1": _("Presenza della rete familiare o informale"),
        "2": _("Presenza parziale e/o temporanea della rete familiare o informale"),
        "3": _("Assenza della rete familiare o informale")}),
    "FonteDerivazioneValutazione": (True, {"1": _("UVM"), "2": _("Cartella sociale"),
                                           "3": _("Altra documentazione"),
                                           "4": _("Raccolta diretta")}),
    "StrumentoValutazione": (True, {"1": "SVAMA", "2": "AGED", "3": "RUG", "4": "SOSIA",
                                    "5": _("Schema polare"), "6": "VALGRAF",
                                    "7": _("Altro sistema di codifica")}),
    "FonteDerivazioneInvalidita": (False, {"1": _("Certificazione verificata on line o cartacea"),
                                           "2": _("Dichiarazione della persona")}),
}
#: InvCiv values (one or more)
INVALIDITY = {
    "1": _("Invalidità civile parziale non inferiore al 75%"),
    "2": _("Invalidità civile totale (100%) con indennità di accompagnamento"),
    "3": _("Invalidità civile totale (100%) senza indennità di accompagnamento"),
    "4": _("Certificazione NPI"),
    "5": _("Legge 104, art. 3, comma 1"),
    "6": _("Legge 104, art. 3, comma 3"),
    "7": _("Legge 104, art. 12"),
    "8": _("Legge 104, art. 13"),
}


def check(values, needs, invalidity, known_codes):
    """The SINA dict an assessment stores: every required field, the needs as benefit codes.

    ``needs``: SIUSS benefit codes of the social interventions needed (at least one, each in
    ``known_codes``); ``invalidity``: InvCiv values (at least one).
    """
    problems, sina = {}, {}
    for name, (required, choices) in FIELDS.items():
        value = (values.get(name) or "").strip()
        if not value:
            if required:
                problems[name] = _("Campo obbligatorio per la valutazione SINA.")
            continue
        if value not in choices:
            problems[name] = _("Valore non previsto.")
        sina[name] = value
    needs = [c.strip().upper() for c in needs if c and c.strip()]
    if not needs:
        problems["needs"] = _("Indicare almeno un intervento sociale necessario.")
    elif any(c not in known_codes for c in needs):
        problems["needs"] = _("Codici di prestazione non in tabella: ${codes}.",
                              mapping={"codes": ", ".join(c for c in needs if c not in known_codes)})
    invalidity = [v for v in invalidity if v]
    if not invalidity:
        problems["invalidity"] = _("Indicare almeno una condizione di invalidità (o la "
                                   "certificazione NPI).")
    elif any(v not in INVALIDITY for v in invalidity):
        problems["invalidity"] = _("Valore non previsto.")
    if problems:
        raise InvalidCaseData(None, problems)
    return {**sina, "needs": tuple(dict.fromkeys(needs)), "invalidity": tuple(dict.fromkeys(invalidity))}
