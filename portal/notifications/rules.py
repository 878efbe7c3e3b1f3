"""Which change tells whom what: pure rules, values in and notes out (no Pyramid, no ZODB).

A ``Note`` is one message for one person: its title and body are gettext messages (msgids
with mappings, translated when shown); ``details`` is free text someone wrote (the officer's
request, a reason): it is shown in the portal only and never put in an e-mail, which carries
the title, the body and the link, so that no special-category personal data leaves by mail.
"""
from dataclasses import dataclass, field
from datetime import timedelta

import workflows.application as wf
import workflows.attestation as att
from content_types.i18n import Message, interpolated, joined
from content_types.security import VIEW
from content_types.values import euro, format_date
from portal.i18n import _

#: days before the matching window closes when the provider is reminded ([A]: our design)
REMINDER_DAYS_DEFAULT = 3

# kinds of notification (stored, shown as a label)
INTEGRATION, ADMITTED, NOT_ADMITTED, RANKING, LAPSED, MATCH_REQUEST, MATCH_REMINDER = (
    "integrazione", "ammessa", "non_ammessa", "graduatoria", "decaduta", "abbinamento",
    "promemoria_abbinamento")
# the monthly cycle
TO_CONFIRM, RETURNED, VALIDATED, PAID, PAYMENT_ACT = (
    "attestazione_da_confermare", "attestazione_respinta", "attestazione_validata",
    "attestazione_liquidata", "atto_liquidazione")
#: the zone plans: the Region pre-filled the transfers (portal.plans.region)
PLAN_TRANSFERS = "trasferimenti_piano"
KIND_TITLES = {
    INTEGRATION: _("Richiesta di integrazione"),
    ADMITTED: _("Domanda ammessa"),
    NOT_ADMITTED: _("Domanda non ammessa"),
    RANKING: _("Esito della graduatoria"),
    LAPSED: _("Domanda decaduta"),
    MATCH_REQUEST: _("Abbinamento da confermare"),
    MATCH_REMINDER: _("Promemoria"),
    TO_CONFIRM: _("Attestazione da confermare"),
    RETURNED: _("Attestazione respinta"),
    VALIDATED: _("Attestazione validata"),
    PAID: _("Attestazione liquidata"),
    PAYMENT_ACT: _("Atto di liquidazione"),
    # the zone plans (portal.plans.region, portal.plans.rules.notices)
    PLAN_TRANSFERS: _("Trasferimenti del piano di zona"),
    "piano_inviato": _("Piano di zona da esaminare"),
    "piano_restituito": _("Piano di zona restituito"),
    "piano_approvato": _("Piano di zona approvato"),
    # case management (portal.cases.rules.notices)
    "cartella_aggiornata": _("Cartella sociale"),
    "verifica_pai_scaduta": _("Verifica del PAI scaduta"),
}
#: transitions whose outcome the family is told
FAMILY_TRANSITIONS = (wf.REQUEST_INTEGRATION, wf.DECLARE_ELIGIBLE, wf.DECLARE_INELIGIBLE,
                      wf.REJECT_AUTO, wf.FUND, wf.ADMIT_UNFUNDED, wf.SCROLL, wf.LAPSE,
                      wf.DECLINE_MATCH)
#: transitions that ask the provider something
PROVIDER_TRANSITIONS = (wf.SUBMIT,)
WATCHED = FAMILY_TRANSITIONS + PROVIDER_TRANSITIONS
FUNDED_OUTCOME = "finanziata"


@dataclass(frozen=True)
class Facts:
    """What the rules know of one application, read from the tree by the service."""

    uid: str
    protocol: str
    call_title: str
    state: str
    applicant: str = None
    delegate: str = None
    operators: tuple = ()
    match_day: object = None  # date: the provider's last day to confirm
    integration_day: object = None  # date: the family's last day to send the integration
    integration_round: int = 0  # how many integrations were asked so far
    comment: str = ""  # the workflow comment of the transition
    reason_titles: tuple = ()  # fixed reason messages (ineligibility codes)
    reason_text: str = ""  # the officer's own words
    ranking: dict = field(default=None)  # version, position, outcome


@dataclass(frozen=True)
class Note:
    """One message for one recipient (a login)."""

    recipient: str
    kind: str
    key: str  # one note per key and recipient, whatever runs twice
    title: Message
    body: Message
    details: str = ""
    target_view: str = ""  # a view of the application to open ("" for its page)
    target_permission: str = VIEW  # what the reader needs for ``target_view``
    mail_key: str = None  # the e-mail job's key ("notifica:<recipient>:<key>" when None)


def family(facts):
    """The applicant and the delegate, if any, once each."""
    return tuple(dict.fromkeys(p for p in (facts.applicant, facts.delegate) if p))


def _day(value):
    return format_date(value) if value is not None else "—"


def _notes(recipients, **values):
    return [Note(recipient=r, **values) for r in recipients]


def family_notes(transition, facts):
    """What the family is told when ``transition`` happened to its application."""
    protocol, call = facts.protocol or "—", facts.call_title
    who = family(facts)
    if transition == wf.REQUEST_INTEGRATION:
        return _notes(
            who, kind=INTEGRATION, key=f"integrazione:{facts.uid}:{facts.integration_round}",
            title=_("Richiesta di integrazione per la domanda ${protocol}",
                    mapping={"protocol": protocol}),
            body=_("L'Ambito chiede un'integrazione della domanda ${protocol} (avviso "
                   "«${call}»). Termine per l'invio: ${day} alle 23:59 (ora italiana); dopo "
                   "non sarà più possibile inviarla.",
                   mapping={"protocol": protocol, "call": call,
                            "day": _day(facts.integration_day)}),
            details=facts.comment, target_view="integrazione", target_permission=wf.INTEGRATE)
    if transition == wf.DECLARE_ELIGIBLE:
        return _notes(
            who, kind=ADMITTED, key=f"ammessa:{facts.uid}",
            title=_("Domanda ${protocol} ammessa", mapping={"protocol": protocol}),
            body=_("La domanda ${protocol} (avviso «${call}») è stata dichiarata ammissibile: "
                   "entrerà nella graduatoria dell'Ambito.",
                   mapping={"protocol": protocol, "call": call}))
    if transition in (wf.DECLARE_INELIGIBLE, wf.REJECT_AUTO):
        if transition == wf.DECLARE_INELIGIBLE and facts.reason_titles:
            body = _("La domanda ${protocol} (avviso «${call}») non è stata ammessa. "
                     "Motivo: ${reason}.",
                     mapping={"protocol": protocol, "call": call,
                              "reason": joined(facts.reason_titles, "; ")})
            details = facts.reason_text
        else:
            body = _("La domanda ${protocol} (avviso «${call}») non è stata ammessa: il "
                     "motivo è indicato nel messaggio sul portale.",
                     mapping={"protocol": protocol, "call": call})
            details = facts.comment
        return _notes(who, kind=NOT_ADMITTED, key=f"non-ammessa:{facts.uid}",
                      title=_("Domanda ${protocol} non ammessa", mapping={"protocol": protocol}),
                      body=body, details=details)
    if transition in (wf.FUND, wf.ADMIT_UNFUNDED, wf.SCROLL):
        return _notes(who, **ranking_values(transition, facts))
    if transition in (wf.LAPSE, wf.DECLINE_MATCH):
        # the lapse job mails the family under the same key: one e-mail whoever queues first
        return _notes(
            who, kind=LAPSED, key=f"decaduta:{facts.uid}",
            title=_("Domanda ${protocol} decaduta", mapping={"protocol": protocol}),
            body=_("La domanda ${protocol} (avviso «${call}») è decaduta: la struttura scelta "
                   "non ha confermato l'abbinamento. Il motivo è indicato nel messaggio sul "
                   "portale e nel fascicolo.", mapping={"protocol": protocol, "call": call}),
            details=facts.comment, mail_key=f"decadenza:{facts.uid}")
    return []


def ranking_values(transition, facts):
    """The ranking outcome: funded, admitted not funded, or funded by scorrimento."""
    ranking = facts.ranking or {}
    protocol = facts.protocol or "—"
    mapping = {"protocol": protocol, "version": ranking.get("version", "—"),
               "position": ranking.get("position", "—")}
    if transition == wf.SCROLL:
        title = _("Domanda ${protocol} finanziata per scorrimento", mapping=mapping)
        body = _("Con la graduatoria versione ${version} la domanda ${protocol} (posizione "
                 "${position}) è finanziata per scorrimento: la struttura avvierà il servizio.",
                 mapping=mapping)
    elif transition == wf.FUND:
        title = _("Graduatoria: domanda ${protocol} finanziata", mapping=mapping)
        body = _("Nella graduatoria pubblicata (versione ${version}) la domanda ${protocol} "
                 "è in posizione ${position} ed è finanziata: la struttura avvierà il "
                 "servizio.", mapping=mapping)
    else:
        title = _("Graduatoria: domanda ${protocol} ammessa non finanziata", mapping=mapping)
        body = _("Nella graduatoria pubblicata (versione ${version}) la domanda ${protocol} "
                 "è in posizione ${position}: è ammessa ma non finanziata con i fondi "
                 "disponibili; potrà esserlo per scorrimento se si liberano fondi.",
                 mapping=mapping)
    return {"kind": RANKING, "key": f"graduatoria:{facts.uid}:{mapping['version']}",
            "title": title, "body": body}


def provider_notes(transition, facts):
    """What the provider's operators are asked: a submitted application waits for them."""
    if transition != wf.SUBMIT or facts.state != wf.SUBMITTED:
        return []
    protocol = facts.protocol or "—"
    return _notes(
        facts.operators, kind=MATCH_REQUEST, key=f"abbinamento:{facts.uid}",
        title=_("Nuovo abbinamento da confermare: domanda ${protocol}",
                mapping={"protocol": protocol}),
        body=_("La domanda ${protocol} (avviso «${call}») ha scelto un vostro servizio. "
               "Confermare o rifiutare l'abbinamento entro il ${day} alle 23:59 (ora "
               "italiana): in caso contrario la domanda decade.",
               mapping={"protocol": protocol, "call": facts.call_title,
                        "day": _day(facts.match_day)}),
        target_view="abbinamento", target_permission=wf.MATCH)


def notes_for(transition, facts):
    """Every note ``transition`` (the application now in ``facts.state``) gives rise to."""
    if transition in PROVIDER_TRANSITIONS:
        return provider_notes(transition, facts)
    if transition in FAMILY_TRANSITIONS:
        return family_notes(transition, facts)
    return []


@dataclass(frozen=True)
class AttestationFacts:
    """What the rules know of one monthly attestation, read from the tree by the service."""

    uid: str
    month: str  # "2025-10"
    protocol: str  # the application's
    beneficiary: str = ""
    family: tuple = ()  # applicant and delegate logins
    operators: tuple = ()  # the provider's operators (logins)
    comment: str = ""  # the officer's reason of a return
    round: int = 0  # how many times it was reopened (REVISE) so far


#: a draft attestation waits for the family (created, or reopened after a return)
CREATED = "created"
#: attestation transitions (and CREATED) someone is told about
ATTESTATION_WATCHED = (CREATED, att.REVISE, att.REJECT, att.VALIDATE, att.PAY)


def attestation_notes(event, facts):
    """What ``event`` (CREATED or an attestation transition) tells the family or the provider."""
    mapping = {"month": facts.month or "—", "protocol": facts.protocol or "—",
               "beneficiary": facts.beneficiary or "—"}
    if event in (CREATED, att.REVISE):
        return _notes(
            facts.family, kind=TO_CONFIRM,
            key=f"attestazione-da-confermare:{facts.uid}:{facts.round}",
            title=_("C'è un'attestazione da confermare: ${month}", mapping=mapping),
            body=_("La struttura ha preparato l'attestazione del mese ${month} per "
                   "${beneficiary} (domanda ${protocol}). Controllare presenze e importi e "
                   "confermarla nell'area personale, oppure caricarne il PDF firmato.",
                   mapping=mapping),
            target_view="conferma", target_permission=att.SIGN)
    if event == att.REJECT:
        return _notes(
            facts.operators, kind=RETURNED,
            key=f"attestazione-respinta:{facts.uid}:{facts.round}",
            title=_("Attestazione ${month} della domanda ${protocol} respinta",
                    mapping=mapping),
            body=_("L'Ambito ha respinto l'attestazione del mese ${month} per ${beneficiary} "
                   "(domanda ${protocol}): il motivo è indicato nel messaggio sul portale. "
                   "Riaprirla, correggerla e inviarla di nuovo.", mapping=mapping),
            details=facts.comment)
    if event == att.VALIDATE:
        return _notes(
            facts.operators, kind=VALIDATED, key=f"attestazione-validata:{facts.uid}",
            title=_("Attestazione ${month} della domanda ${protocol} validata",
                    mapping=mapping),
            body=_("L'Ambito ha validato l'attestazione del mese ${month} per ${beneficiary} "
                   "(domanda ${protocol}): sarà inclusa in un atto di liquidazione.",
                   mapping=mapping))
    if event == att.PAY:
        return _notes(
            facts.operators, kind=PAID, key=f"attestazione-liquidata:{facts.uid}",
            title=_("Attestazione ${month} della domanda ${protocol} liquidata",
                    mapping=mapping),
            body=_("L'attestazione del mese ${month} per ${beneficiary} (domanda "
                   "${protocol}) è stata liquidata.", mapping=mapping))
    return []


@dataclass(frozen=True)
class ActFacts:
    """One provider's part of an issued payment act."""

    uid: str
    protocol: str
    period: str
    provider_path: str
    amount: object  # Decimal
    count: int
    operators: tuple = ()


def act_notes(facts):
    """The provider's operators are told an act pays them."""
    mapping = {"protocol": facts.protocol or "—", "period": facts.period or "—",
               "amount": euro(facts.amount) if facts.amount is not None else "—",
               "count": str(facts.count)}
    return _notes(
        facts.operators, kind=PAYMENT_ACT,
        key=f"atto-liquidazione:{facts.uid}:{facts.provider_path}",
        title=_("Atto di liquidazione ${protocol} emesso", mapping=mapping),
        body=_("L'Ambito ha emesso l'atto di liquidazione ${protocol} (periodo ${period}): "
               "${amount} per ${count} attestazioni della vostra struttura.",
               mapping=mapping))


def reminder_due(deadline_at, now, days):
    """Within the last ``days`` days before the matching deadline (and not past it)."""
    if deadline_at is None:
        return False
    return deadline_at - timedelta(days=days) <= now <= deadline_at


def reminder_notes(facts):
    """The provider's reminder before the matching window closes: once per application."""
    if facts.state != wf.SUBMITTED:
        return []
    protocol, day = facts.protocol or "—", _day(facts.match_day)
    return _notes(
        facts.operators, kind=MATCH_REMINDER, key=f"promemoria-abbinamento:{facts.uid}",
        title=_("Promemoria: abbinamento da confermare entro il ${day}", mapping={"day": day}),
        body=_("La domanda ${protocol} attende ancora la conferma dell'abbinamento: il "
               "termine scade il ${day} alle 23:59 (ora italiana), poi la domanda decade.",
               mapping={"protocol": protocol, "day": day}),
        target_view="abbinamento", target_permission=wf.MATCH)


def mail_text(note, link):
    """(subject, body) of the e-mail: the message and the link, never ``details``."""
    body = _("${body}\n\nPer leggere il messaggio accedere al portale: ${link}\n\n"
             "Questo messaggio è generato automaticamente: non rispondere.\n",
             mapping={"body": note.body, "link": link})
    return interpolated(note.title), interpolated(body)


def freeze(message):
    """A message as plain data to store (its mapping's messages too)."""
    if not isinstance(message, Message):
        return message
    mapping = {k: freeze(v) for k, v in (message.mapping or {}).items()}
    return {"msgid": str.__str__(message), "mapping": mapping}


def thaw(data):
    """The message ``freeze`` stored."""
    if not isinstance(data, dict):
        return data
    return _(data["msgid"], mapping={k: thaw(v) for k, v in data["mapping"].items()} or None)

