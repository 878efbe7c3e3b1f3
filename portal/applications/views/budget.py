"""The Region changes an ATS's budget for a call (reason required, logged) before a scorrimento."""
from decimal import Decimal, InvalidOperation

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.call import Call
from content_types.district import District
from content_types.security import EDIT
from content_types.values import cents, euro, to_decimal
from portal import audit
from portal.applications.ranking_service import committed_amount
from portal.applications.rules.errors import BenefitError
from portal.i18n import _
from portal.web import posted
from portal.web.display import local_time
from portal.web.errors import refuse
from portal.web.layout import flash

MAX_BUDGET = Decimal(100000000)
#: the budget change form: ATS code, new amount, reason
CHANGE = posted.schema(posted.text("ambito"), posted.text("importo"),
                       posted.text("motivo", limit=2000))


def districts(request):
    """ATS code -> District, for every ATS of the portal."""
    folder = request.root.get("ambiti")
    return {d.code: d for d in (folder.values() if folder is not None else ())
            if isinstance(d, District) and d.code}


def parse_change(sent, known):
    """The district code, new amount (Decimal, cents) and reason of the form, or a refusal."""
    code = sent["ambito"]
    if code not in known:
        raise BenefitError(_("Scegliere un Ambito esistente."), {"ambito": "sconosciuto"})
    text = sent["importo"]
    try:
        amount = cents(text)
        if not amount.is_finite():
            raise ValueError(text)
    except (InvalidOperation, ValueError):
        raise BenefitError(_("Importo non valido: «${amount}».", mapping={"amount": text}),
                           {"importo": "non valido"}) from None
    if amount < 0 or amount > MAX_BUDGET:
        raise BenefitError(_("L'importo deve essere compreso tra 0 e 100.000.000 euro."),
                           {"importo": "fuori intervallo"})
    reason = sent["motivo"]
    if not reason:
        raise BenefitError(_("Indicare il motivo della variazione del budget (ad esempio "
                             "«Risorse aggiuntive, DGR n. 45/2026»)."), {"motivo": "obbligatorio"})
    return code, amount, reason


def check_committed(call, district, amount):
    """A budget never goes below the money already granted to funded, active or concluded ones."""
    held = committed_amount(district, call.code)
    if amount < held:
        raise BenefitError(_("Il budget dell'Ambito ${code} non può scendere a ${new}: le domande "
                             "finanziate, attive o concluse impegnano già ${held}.",
                             mapping={"code": district.code, "new": euro(amount),
                                      "held": euro(held)}),
                           {"importo": "inferiore all'impegnato"})


@view_config(context=Call, name="budget", permission=EDIT,
             renderer="portal:templates/applications/call_budget.pt")
def budget_view(context, request):
    """Budgets per ATS with their history; a change needs a reason and is audited."""
    known = districts(request)
    translate = request.localizer.translate
    error = None
    sent = {}
    if request.method == "POST":
        sent = posted.posted(request, CHANGE)
        try:
            code, amount, reason = parse_change(sent, known)
            check_committed(context, known[code], amount)
        except BenefitError as exc:
            error = refuse(request, exc)
        else:
            old = to_decimal(context.budget_for(code))
            who = request.authenticated_userid
            context.set_budget(code, amount, reason=reason, who=who)
            audit.log(request, "variazione budget avviso", context, district=code,
                      old=str(old), new=str(amount), reason=reason)
            flash(request, _("Budget dell'Ambito ${code} portato da ${old} a ${new}. L'Ambito "
                             "può ora calcolare una nuova versione della graduatoria "
                             "(scorrimento).",
                             mapping={"code": code, "old": euro(old), "new": euro(amount)}))
            return HTTPSeeOther(request.resource_path(context, "@@budget"))
    rows = []
    for code, district in sorted(known.items()):
        rows.append({"code": code, "title": district.title,
                     "budget": euro(to_decimal(context.budget_for(code))),
                     "ranking_url": request.resource_path(district, "@@graduatoria",
                                                          query={"avviso": context.code})})
    history = [{"district": e["district"], "old": euro(to_decimal(e["old"])),
                "new": euro(to_decimal(e["new"])), "reason": e["reason"] or "—",
                "who": e["who"] or "—", "when": local_time(e["when"])}
               for e in reversed(context.budget_log)]
    return {"page_title": translate(_("Budget — ${title}", mapping={"title": context.title})),
            "call": context, "rows": rows,
            "history": history, "error": error,
            "form": {k: sent.get(k, "") for k in ("ambito", "importo", "motivo")}}
