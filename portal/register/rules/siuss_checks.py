"""The SIUSS rules the XSD does not enforce, each a plain-Italian problem of one record.

A beneficiary's problems keep every benefit of theirs out of the flow; a benefit's problems
keep that benefit out. Lengths and patterns the XSD checks are also said here, so that the
operator reads what to correct instead of a schema message.
"""
import re

from stdnum.it import codicefiscale, iva

from portal.i18n import _
from portal.register.rules.siuss import CANCEL, INSERT, ISEE, ONE_OFF, PERIODIC, written_name

NAME_MAX = 36
_BELFIORE = re.compile(r"^[A-Z]\d{3}$")
_THREE_DIGITS = re.compile(r"^\d{3}$")
_REGION, _COMUNE = re.compile(r"^\d{2}$"), re.compile(r"^\d{6}$")
_YEAR = re.compile(r"^\d{4}$")
#: what XML 1.0 cannot carry (control characters): refused with a message, never a crash
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
AREAS = ("1", "2", "3")
MEANS_TESTS = ("1", "2", "3", "4")


def fiscal_code_problems(value):
    """The codice fiscale: 16 characters with its check letter, or the 11 digits of a body."""
    code = (value or "").strip().upper()
    if not code:
        return [_("Il codice fiscale manca.")]
    if len(code) == 11 and code.isdigit():
        try:
            iva.validate(code)
        except iva.ValidationError:
            return [_("Il codice fiscale numerico «${code}» non è valido: la cifra di "
                      "controllo non corrisponde.", mapping={"code": code})]
        return []
    if len(code) != 16:
        return [_("Il codice fiscale «${code}» non ha 16 caratteri.", mapping={"code": code})]
    try:
        codicefiscale.validate(code)
    except codicefiscale.InvalidChecksum:
        return [_("Il codice fiscale «${code}» non è valido: il carattere di controllo non "
                  "corrisponde.", mapping={"code": code})]
    except codicefiscale.ValidationError:
        return [_("Il codice fiscale «${code}» non ha il formato di un codice fiscale.",
                  mapping={"code": code})]
    return []


def _control_problems(values):
    if any(_NOT_XML.search(v or "") for v in values):
        return [_("Alcuni dati contengono caratteri di controllo non ammessi: correggerli.")]
    return []


def _name_problems(value, missing, too_long):
    value = written_name(value)
    if not value:
        return [missing]
    if len(value) > NAME_MAX:
        return [too_long]
    return []


def beneficiary_problems(who):
    """What is wrong with the person's data (then none of their benefits is sent)."""
    problems = fiscal_code_problems(who.fiscal_code)
    problems += _name_problems(who.last_name, _("Manca il cognome."),
                               _("Il cognome supera i 36 caratteri."))
    problems += _name_problems(who.first_name, _("Manca il nome."),
                               _("Il nome supera i 36 caratteri."))
    if who.birth_year is None:
        problems.append(_("Manca l'anno di nascita."))
    elif not _YEAR.match(f"{who.birth_year:04d}"):
        problems.append(_("L'anno di nascita non è di 4 cifre."))
    if not who.birth_place:
        problems.append(_("Manca il luogo di nascita (codice catastale)."))
    elif not _BELFIORE.match(who.birth_place):
        problems.append(_("Il luogo di nascita «${place}» non è un codice catastale di 4 "
                          "caratteri.", mapping={"place": who.birth_place}))
    if who.sex not in ("M", "F"):
        problems.append(_("Manca il sesso (M o F)."))
    if not who.citizenship:
        problems.append(_("Manca la cittadinanza."))
    elif not _THREE_DIGITS.match(who.citizenship):
        problems.append(_("La cittadinanza «${value}» non è un codice di 3 cifre (Italia: "
                          "380).", mapping={"value": who.citizenship}))
    if who.second_citizenship and not _THREE_DIGITS.match(who.second_citizenship):
        problems.append(_("La seconda cittadinanza non è un codice di 3 cifre."))
    problems += _control_problems((who.last_name, who.first_name))
    if len(who.addresses) > 5:
        problems.append(_("Più di 5 indirizzi: SIUSS ne accetta al massimo 5."))
    for address in who.addresses[:5]:
        if not address.nation:
            problems.append(_("Un indirizzo non ha il codice della nazione (CodiceNazione è "
                              "sempre obbligatorio)."))
        elif not _THREE_DIGITS.match(address.nation):
            problems.append(_("Il codice della nazione di un indirizzo non è di 3 cifre."))
        if address.region and not _REGION.match(address.region):
            problems.append(_("Il codice ISTAT della regione di un indirizzo non è di 2 cifre."))
        if address.municipality and not _COMUNE.match(address.municipality):
            problems.append(_("Il codice ISTAT del comune di un indirizzo non è di 6 cifre."))
    return problems


def _dsu_problems(item):
    problems = []
    if not item.dsu_protocol:
        problems.append(_("Prestazione soggetta a ISEE: manca il numero di protocollo della "
                          "DSU."))
    elif len(item.dsu_protocol) > 30:
        problems.append(_("Il protocollo della DSU supera i 30 caratteri."))
    if not item.dsu_year:
        problems.append(_("Prestazione soggetta a ISEE: manca l'anno del protocollo della DSU."))
    elif not _YEAR.match(str(item.dsu_year)):
        problems.append(_("L'anno del protocollo della DSU non è di 4 cifre."))
    if item.dsu_date is None:
        problems.append(_("Prestazione soggetta a ISEE: manca la data di presentazione della "
                          "DSU."))
    return problems


def _period_problems(item):
    problems = []
    if item.nature == PERIODIC:
        if item.start is None:
            problems.append(_("Manca la data di inizio della prestazione."))
        if item.end is None:
            problems.append(_("Manca la data di fine della prestazione."))
        if item.start is not None and item.end is not None and item.end < item.start:
            problems.append(_("La data di fine è precedente a quella di inizio."))
        if item.months is None:
            problems.append(_("Manca il periodo di erogazione (mesi)."))
        elif not 1 <= item.months <= 12:
            problems.append(_("Il periodo di erogazione è tra 1 e 12 mesi."))
        if item.monthly_amount is None:
            problems.append(_("Manca l'importo mensile della prestazione."))
    elif item.nature == ONE_OFF:
        if item.day is None:
            problems.append(_("Manca la data di erogazione della prestazione."))
        if item.amount is None:
            problems.append(_("Manca l'importo della prestazione."))
    else:
        problems.append(_("Il carattere della prestazione (periodica o una tantum) manca."))
    return problems


def benefit_problems(item):
    """What is wrong with one benefit (then only it stays out)."""
    problems = []
    if item.operation not in (INSERT, CANCEL):
        problems.append(_("Tipo di operazione non previsto (I o C)."))
    if not 5 <= len(item.code or "") <= 10:
        problems.append(_("Manca il codice della prestazione (da 5 a 10 caratteri)."))
    if not 10 <= len(item.name or "") <= 200:
        problems.append(_("La denominazione della prestazione manca o non è tra 10 e 200 "
                          "caratteri."))
    if not (item.protocol or "").strip():
        problems.append(_("Manca il protocollo della domanda."))
    elif len(item.protocol) > 32:
        problems.append(_("Il protocollo della domanda supera i 32 caratteri."))
    problems += _control_problems((item.code, item.name, item.protocol, item.dsu_protocol))
    if item.means_test not in MEANS_TESTS:
        problems.append(_("Manca la presenza della prova dei mezzi (1 ISEE, 2 altra prova, 3 "
                          "ISEE non richiesto al beneficiario, 4 nessuna)."))
    elif item.means_test == ISEE:
        problems += _dsu_problems(item)
    problems += _period_problems(item)
    if item.hours is not None and not 0 <= item.hours <= 999:
        problems.append(_("Le ore di servizio mensili sono tra 0 e 999."))
    for value, label in ((item.monthly_amount, _("mensile")), (item.amount, _("della prestazione")),
                         (item.public_share, _("della quota dell'ente")),
                         (item.user_share, _("della quota dell'utente")),
                         (item.ssn_share, _("della quota SSN"))):
        if value is not None and value < 0:
            problems.append(_("L'importo ${label} è negativo.", mapping={"label": label}))
    if item.in_charge == "1":
        if not item.area:
            problems.append(_("Persona presa in carico: manca l'area di utenza (1 famiglia e "
                              "minori, 2 disabilità e non autosufficienza, 3 povertà)."))
        elif item.area not in AREAS:
            problems.append(_("Area di utenza non prevista (1, 2 o 3)."))
    elif item.in_charge == "2":
        if item.needs_taking_charge:
            problems.append(_("La prestazione ${code} si trasmette solo per persone prese in "
                              "carico dal servizio sociale.", mapping={"code": item.code}))
    else:
        problems.append(_("Manca l'indicazione della presa in carico."))
    if item.sina:
        problems += sina_problems(item.sina)
    return problems


#: SINA attributes that must be there when the block is sent
SINA_REQUIRED = ("Mobilita", "AttivitaVitaQuotidiana", "DisturbiComportamentali",
                 "NecessitaCureSanitarie", "AreaReddituale", "AreaSupporto",
                 "FonteDerivazioneValutazione", "StrumentoValutazione")


def sina_problems(sina):
    problems = []
    missing = [name for name in SINA_REQUIRED if not sina.get(name)]
    if missing:
        problems.append(_("Valutazione SINA incompleta: mancano ${fields}.",
                          mapping={"fields": ", ".join(missing)}))
    if not sina.get("needs"):
        problems.append(_("Valutazione SINA: manca almeno un intervento sociale necessario."))
    if not sina.get("invalidity"):
        problems.append(_("Valutazione SINA: manca la condizione di invalidità civile."))
    return problems
