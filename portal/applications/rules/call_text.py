"""A call's rules in plain Italian: data in, messages (msgids with mappings) out, no request.

Every rule kind that ``eligibility.Rules`` interprets has a sentence here; the call page and
the differences between versions are both made of ``facts`` so they never disagree.
"""
from dataclasses import dataclass

from translationstring import TranslationString

from content_types.catalogue_entry import SERVICE_TYPES_BY_CODE
from content_types.values import euro, format_date, format_datetime, to_decimal
from portal.applications.rules.copayment import HUNDRED
from portal.applications.rules.eligibility import TARGETS, describe_range
from portal.applications.rules.isee import ISEE_TYPES
from portal.applications.rules.ranking import DEFAULT_KEYS
from portal.i18n import _

#: ISTAT region code -> name (residence rules name the region, never its code)
REGIONS = {
    "01": "Piemonte", "02": "Valle d'Aosta", "03": "Lombardia", "04": "Trentino-Alto Adige",
    "05": "Veneto", "06": "Friuli-Venezia Giulia", "07": "Liguria", "08": "Emilia-Romagna",
    "09": "Toscana", "10": "Umbria", "11": "Marche", "12": "Lazio", "13": "Abruzzo",
    "14": "Molise", "15": "Campania", "16": "Puglia", "17": "Basilicata", "18": "Calabria",
    "19": "Sicilia", "20": "Sardegna",
}
#: (ranking key, order) -> how a family reads it
KEY_TEXT = {
    ("priority", "desc"): _("prima le domande con una priorità dichiarata"),
    ("priority", "asc"): _("prima le domande senza priorità dichiarate"),
    ("priorities", "desc"): _("prima le domande con più priorità dichiarate"),
    ("priorities", "asc"): _("prima le domande con meno priorità dichiarate"),
    ("isee", "asc"): _("prima l'ISEE più basso"),
    ("isee", "desc"): _("prima l'ISEE più alto"),
    ("submitted_at", "asc"): _("prima la domanda inviata per prima"),
    ("submitted_at", "desc"): _("prima la domanda inviata per ultima"),
    ("cost", "asc"): _("prima l'importo richiesto più basso"),
    ("cost", "desc"): _("prima l'importo richiesto più alto"),
}
OPEN, NOT_YET, CLOSED = "open", "not_yet", "closed"


@dataclass(frozen=True)
class Fact:
    """One line of the call page: ``key`` to compare versions, ``label`` and ``text`` to show."""

    key: str
    label: object
    text: object


def plain(value):
    """A message with its mapping filled in (to compare two versions' texts)."""
    return value.interpolate() if isinstance(value, TranslationString) else str(value)


def region_name(code):
    return REGIONS.get(code, _("la Regione che ha pubblicato l'avviso"))


def target_title(code):
    return TARGETS[code][0] if code in TARGETS else _("destinatari non indicati")


def eligibility_lines(call):
    """Who may apply: one sentence per rule of ``call.eligibility``."""
    rules = call.eligibility or {}
    target = rules.get("target") or call.target
    low_high = TARGETS.get(target, (None, 0, None))[1:]
    low = rules.get("age_min_months", low_high[0])
    high = rules.get("age_max_months", low_high[1])
    lines = [_("Destinatari: ${target}.", mapping={"target": target_title(target)})]
    if low or high is not None:
        reference = rules.get("age_reference")
        when = (_("alla data di riferimento del ${day}", mapping={"day": format_date(reference)})
                if reference else _("alla data della domanda"))
        lines.append(_("Età del beneficiario: ${range} ${when}.",
                       mapping={"range": describe_range(low or 0, high), "when": when}))
    region = rules.get("residence_region")
    if region:
        lines.append(_("Residenza del beneficiario in ${region}.",
                       mapping={"region": region_name(region)}))
    lines.append(_("La domanda si presenta nell'Ambito territoriale del comune di residenza."))
    disability = rules.get("disability_required", target == "disability")
    if disability:
        lines.append(_("È richiesta una disabilità certificata del beneficiario."))
    if rules.get("reject_discrepancies"):
        lines.append(_("Un'attestazione ISEE con omissioni o difformità esclude la domanda."))
    else:
        lines.append(_("Un'attestazione ISEE con omissioni o difformità è segnalata all'Ambito, "
                       "ma non esclude la domanda."))
    services = [SERVICE_TYPES_BY_CODE[c].title for c in call.service_types
                if c in SERVICE_TYPES_BY_CODE]
    if services:
        lines.append(_("Servizi finanziati: ${services}.", mapping={"services": ", ".join(services)}))
    return lines


def isee_lines(call):
    rules = call.eligibility or {}
    types = [ISEE_TYPES[t] for t in rules.get("isee_types") or () if t in ISEE_TYPES]
    lines = []
    if types:
        lines.append(_("ISEE ammessi: ${types}.", mapping={"types": " oppure ".join(types)}))
    if rules.get("isee_max") not in (None, ""):
        lines.append(_("Soglia ISEE: fino a ${amount}.", mapping={"amount": euro(rules["isee_max"])}))
    if rules.get("restricted_isee_max") not in (None, ""):
        lines.append(_("Soglia per l'ISEE socio-sanitario (nucleo ristretto): fino a ${amount}.",
                       mapping={"amount": euro(rules["restricted_isee_max"])}))
    return lines


def band_rows(call):
    """The co-payment table: ISEE from, to, fixed quota and family share, all formatted."""
    pay = call.copayment or {}
    elderly = pay.get("scheme") == "elderly"
    rows, previous = [], None
    for band in pay.get("bands") or ():
        up_to = band.get("up_to")
        start = euro(0) if previous is None else euro(to_decimal(previous) + to_decimal("0.01"))
        share = (HUNDRED - to_decimal(band.get("coverage", 0)) if elderly
                 else to_decimal(band.get("percent", 0)))
        rows.append({
            "from": start,
            "to": euro(up_to) if up_to not in (None, "") else _("senza limite"),
            "fixed": "" if elderly else euro(band.get("fixed", 0)),
            "share": f"{share.normalize():f} %".replace(".", ","),
        })
        previous = up_to
    return rows


def copayment_lines(call):
    pay = call.copayment or {}
    if pay.get("scheme") == "elderly":
        return [_("Il buono copre una percentuale della tariffa al netto di una franchigia mensile "
                  "di ${amount}, sempre a carico della famiglia; la famiglia paga il resto.",
                  mapping={"amount": euro(pay.get("franchigia", 0))})]
    lines = [_("La famiglia paga una quota fissa mensile più una percentuale della tariffa "
               "residua; il buono copre il resto della tariffa.")]
    if pay.get("free_up_to") not in (None, ""):
        lines.append(_("Con ISEE fino a ${amount} il servizio è gratuito per la famiglia.",
                       mapping={"amount": euro(pay["free_up_to"])}))
    return lines


def ranking_lines(call):
    """The ranking criteria in order, each tie passed to the next, then the protocol."""
    data = call.ranking or {}
    keys = [(k.get("field"), k.get("order", "asc")) for k in data.get("keys") or ()] or list(
        DEFAULT_KEYS)
    lines = []
    for index, key in enumerate(keys):
        text = KEY_TEXT.get(key, _("criterio dell'avviso"))
        lines.append(_("${text}.", mapping={"text": text}) if index == 0
                     else _("A parità, ${text}.", mapping={"text": text}))
    lines.append(_("A parità di tutti i criteri, precede il numero di protocollo più basso."))
    if data.get("allow_skipping"):
        lines.append(_("Se una domanda non rientra nei fondi, si finanziano le successive che "
                       "vi rientrano."))
    else:
        lines.append(_("Si finanzia in ordine finché i fondi bastano: la prima domanda che non "
                       "rientra ferma il finanziamento delle successive."))
    return lines


def date_lines(call):
    lines = []
    if call.period_start and call.period_end:
        lines.append(_("Periodo del servizio: dal ${start} al ${end}, per al massimo ${months} "
                       "mesi.", mapping={"start": format_date(call.period_start),
                                         "end": format_date(call.period_end),
                                         "months": call.max_months}))
    if call.opens_at and call.closes_at:
        lines.append(_("Domande dal ${opens} al ${closes} (ora italiana).",
                       mapping={"opens": format_datetime(call.opens_at),
                                "closes": format_datetime(call.closes_at)}))
    lines.append(_("Abbinamento: la struttura scelta conferma entro ${days} giorni dall'invio, "
                   "altrimenti la domanda decade.", mapping={"days": call.matching_days}))
    lines.append(_("Integrazioni: la famiglia ha ${days} giorni per inviare i documenti chiesti "
                   "dall'Ambito.", mapping={"days": call.integration_days}))
    return lines


def budget_rows(call, district_titles):
    """``(ATS title, amount)`` for every ATS with a budget, in the order of ``district_titles``."""
    budgets = call.budgets or {}
    ordered = [c for c in district_titles if c in budgets] + sorted(
        c for c in budgets if c not in district_titles)
    return [{"code": c, "district": district_titles.get(c, _("Ambito ${code}", mapping={"code": c})),
             "amount": euro(budgets[c])} for c in ordered]


def version_lines(call):
    if call.version <= 1:
        return []
    return [_("Versione ${version} dell'avviso. Motivo della modifica: ${reason}",
              mapping={"version": call.version, "reason": call.correction_reason})]


def window_state(call, now):
    """OPEN, NOT_YET or CLOSED for the application window at ``now`` (aware)."""
    if not call.current or call.opens_at is None or call.closes_at is None:
        return CLOSED
    if now < call.opens_at:
        return NOT_YET
    return OPEN if now <= call.closes_at else CLOSED


def window_message(call, now):
    state = window_state(call, now)
    if state == NOT_YET:
        return _("La presentazione delle domande non è ancora aperta (apre il ${opens}).",
                 mapping={"opens": format_datetime(call.opens_at)})
    if state == CLOSED:
        return _("La presentazione delle domande è chiusa.")
    return _("Domande aperte fino al ${closes} (ora italiana).",
             mapping={"closes": format_datetime(call.closes_at)})


def facts(call, district_titles):
    """Every rule of ``call`` as labelled lines, in page order (and the diff's keys)."""
    found = [Fact("title", _("Titolo"), call.title),
             Fact("description", _("Descrizione"), call.description or "—")]
    for index, line in enumerate(eligibility_lines(call)):
        found.append(Fact(f"eligibility.{index}", _("Chi può presentare domanda"), line))
    rules = call.eligibility or {}
    types = [ISEE_TYPES[t] for t in rules.get("isee_types") or () if t in ISEE_TYPES]
    found.append(Fact("isee_types", _("ISEE ammessi"), " oppure ".join(types) or "—"))
    for key, label in (("isee_max", _("Soglia ISEE")),
                       ("restricted_isee_max", _("Soglia ISEE socio-sanitario"))):
        value = rules.get(key)
        found.append(Fact(key, label, "—" if value in (None, "") else euro(value)))
    for index, line in enumerate(copayment_lines(call)):
        found.append(Fact(f"copayment.{index}", _("Compartecipazione"), line))
    for index, line in enumerate(ranking_lines(call)):
        found.append(Fact(f"ranking.{index}", _("Criterio di graduatoria ${n}",
                                                mapping={"n": index + 1}), line))
    found += [
        Fact("period", _("Periodo del servizio"), _("dal ${start} al ${end}", mapping={
            "start": format_date(call.period_start), "end": format_date(call.period_end)})),
        Fact("max_months", _("Mesi massimi finanziabili"), str(call.max_months)),
        Fact("opens_at", _("Apertura delle domande"), format_datetime(call.opens_at)),
        Fact("closes_at", _("Chiusura delle domande"), format_datetime(call.closes_at)),
        Fact("matching_days", _("Giorni per l'abbinamento"), str(call.matching_days)),
        Fact("integration_days", _("Giorni per le integrazioni"), str(call.integration_days)),
    ]
    for row in budget_rows(call, district_titles):
        found.append(Fact(f"budget.{row['code']}", _("Budget: ${district}",
                                                     mapping={"district": row["district"]}),
                          row["amount"]))
    return found


def differences(old, new, district_titles):
    """``(label, before, after)`` for every fact that changed from ``old`` to ``new``."""
    before = {f.key: f for f in facts(old, district_titles)}
    after = {f.key: f for f in facts(new, district_titles)}
    changed = []
    for key in list(before) + [k for k in after if k not in before]:
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and plain(a.text) == plain(b.text):
            continue
        label = (b or a).label
        changed.append((label, a.text if a else "—", b.text if b else "—"))
    return changed


def bands_changed(old, new):
    return band_rows(old) != band_rows(new)
