"""The Region sets an ATS's budget for a call per fund source (reason required, logged).

The ledger holds the figures (budget, committed, paid, remaining per ATS and fund); the
call's total per ATS and its ``budget_log`` are kept in step in the same transaction.
"""
from decimal import Decimal, InvalidOperation

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.call import Call
from content_types.district import District
from content_types.security import EDIT
from content_types.values import cents, euro, to_decimal
from portal import audit
from portal.applications.rules.errors import BenefitError
from portal.i18n import _
from portal.payments import budgets
from portal.payments.rules import funds as fund_table
from portal.payments.rules.errors import PaymentError
from portal.web import posted
from portal.web.display import local_time
from portal.web.errors import refuse
from portal.web.layout import flash

MAX_BUDGET = Decimal(100000000)
#: the budget change form: ATS code, fund source (default: the default fund), amount, reason
CHANGE = posted.schema(posted.text("ambito"), posted.text("fondo"), posted.text("importo"),
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


def parse_fund(sent):
    """The fund source of the form (the default fund when the form has none)."""
    code = sent.get("fondo") or fund_table.DEFAULT_FUND
    if code not in fund_table.BY_CODE:
        raise BenefitError(_("Scegliere una fonte di finanziamento esistente."),
                           {"fondo": "sconosciuta"})
    return code


def check_committed(call, district, fund, amount):
    """A fund's budget never goes below the money the ledger holds committed on it."""
    held = budgets.by_fund(district, call).get(fund)
    held = held.committed if held is not None else 0
    if amount < held:
        raise BenefitError(_("Il budget dell'Ambito ${code} non può scendere a ${new}: le domande "
                             "finanziate, attive o concluse impegnano già ${held}. Fonte di "
                             "finanziamento: ${fund}.",
                             mapping={"code": district.code, "new": euro(amount),
                                      "held": euro(held), "fund": fund}),
                           {"importo": "inferiore all'impegnato"})


def fund_rows(district, call, translate):
    """Budget, committed, paid and remaining of one ATS per fund, from the ledger."""
    found = budgets.by_fund(district, call)
    rows = [{"code": code, "title": translate(fund_table.BY_CODE[code].title),
             "budget": euro(t.budget), "committed": euro(t.committed), "paid": euro(t.paid),
             "remaining": euro(t.remaining)} for code, t in found.items()]
    total = budgets.figures(district, call)
    return rows, {"budget": euro(total.budget), "committed": euro(total.committed),
                  "paid": euro(total.paid), "remaining": euro(total.remaining)}


@view_config(context=Call, name="budget", permission=EDIT,
             renderer="portal:templates/applications/call_budget.pt")
def budget_view(context, request):
    """Budgets per ATS and fund with their history; a change needs a reason and is audited."""
    known = districts(request)
    translate = request.localizer.translate
    error = None
    sent = {}
    if request.method == "POST":
        sent = posted.posted(request, CHANGE)
        try:
            code, amount, reason = parse_change(sent, known)
            fund = parse_fund(sent)
            check_committed(context, known[code], fund, amount)
        except BenefitError as exc:
            error = refuse(request, exc)
        else:
            old = to_decimal(context.budget_for(code))
            who = request.authenticated_userid
            try:
                budgets.set_fund_budget(known[code], context, fund, amount, who=who,
                                        reason=reason)
            except PaymentError as exc:
                error = refuse(request, exc)
            else:
                new = to_decimal(context.budget_for(code))
                audit.log(request, "variazione budget avviso", context, district=code,
                          fund=fund, old=str(old), new=str(context.budget_for(code)),
                          fund_amount=str(amount), reason=reason)
                flash(request, _("Budget dell'Ambito ${code} portato da ${old} a ${new} (fonte "
                                 "${fund}: ${amount}). L'Ambito può ora calcolare una nuova "
                                 "versione della graduatoria (scorrimento).",
                                 mapping={"code": code, "old": euro(old), "new": euro(new),
                                          "fund": fund, "amount": euro(amount)}))
                return HTTPSeeOther(request.resource_path(context, "@@budget"))
    rows = []
    for code, district in sorted(known.items()):
        funds, total = fund_rows(district, context, translate)
        rows.append({"code": code, "title": district.title,
                     "budget": euro(to_decimal(context.budget_for(code))),
                     "funds": funds, "total": total,
                     "ranking_url": request.resource_path(district, "@@graduatoria",
                                                          query={"avviso": context.code})})
    history = [{"district": e["district"], "old": euro(to_decimal(e["old"])),
                "new": euro(to_decimal(e["new"])), "reason": e["reason"] or "—",
                "who": e["who"] or "—", "when": local_time(e["when"])}
               for e in reversed(context.budget_log)]
    return {"page_title": translate(_("Budget — ${title}", mapping={"title": context.title})),
            "call": context, "rows": rows,
            "funds": [{"code": f.code, "title": translate(f.title)} for f in fund_table.FUNDS],
            "history": history, "error": error,
            "form": {k: sent.get(k, "") for k in ("ambito", "fondo", "importo", "motivo")}
            | {"fondo": sent.get("fondo") or fund_table.DEFAULT_FUND}}
