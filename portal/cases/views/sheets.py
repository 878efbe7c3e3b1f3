"""The social evaluation sheet (with the SINA fields) and the PAI of a case."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.case_file import CaseFile
from content_types.security import EDIT_CASE
from content_types.values import format_date, parse_day
from portal import audit
from portal.cases import sheets
from portal.cases.rules import sina
from portal.cases.rules.errors import CaseError
from portal.cases.views.common import problems, summary, t
from portal.i18n import _
from portal.register.codes import table_for
from portal.web import posted as body
from portal.web.layout import flash

TEMPLATES = "portal:templates/cases/"
ROWS = 10
ASSESSMENT_FORM = body.schema(
    body.text("day", 20), body.text("summary", 20_000), body.text("needs", 8_000),
    body.text("dependent", 5), body.texts("sina_needs"), body.texts("sina_invalidity"),
    *(body.text(f"sina.{name}", 5) for name in sina.FIELDS))
PAI_FORM = body.schema(
    body.text("goals", 8_000), body.text("responsible", 200), body.texts("review"),
    *(body.text(f"what.{n}", 8_000) for n in range(ROWS)),
    *(body.text(f"who.{n}", 400) for n in range(ROWS)))
REVIEW_FORM = body.schema(body.text("day", 20))


def _day(text):
    try:
        return parse_day(text) if text else None
    except ValueError:
        return text  # the rules refuse it by name


# -- assessment ----------------------------------------------------------------------------
def _assessment_form(case):
    sheet = case.assessment or {}
    found = sheet.get("sina") or {}
    return {"day": sheet["day"].isoformat() if sheet.get("day") else "",
            "summary": sheet.get("summary", ""), "needs": sheet.get("needs", ""),
            "dependent": "1" if sheet.get("dependent") else "",
            "sina_needs": tuple(found.get("needs", ())),
            "sina_invalidity": tuple(found.get("invalidity", ())),
            **{f"sina.{name}": found.get(name, "") for name in sina.FIELDS}}


def _assessment_page(context, request, error=None, errors=None, form=None):
    audit.log_read(request, context, what="valutazione sociale")
    codes = table_for(request.registry)
    return {**summary(request, context), "page_title": t(request, _("Valutazione sociale")),
            "form": form or _assessment_form(context),
            "fields": [{"name": name, "required": required,
                        "choices": [(v, t(request, title)) for v, title in choices.items()]}
                       for name, (required, choices) in sina.FIELDS.items()],
            "invalidity": [(v, t(request, title)) for v, title in sina.INVALIDITY.items()],
            "codes": [(c.code, c.name) for c in codes.values()],
            "action": request.resource_path(context, "@@valutazione"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="valutazione", permission=EDIT_CASE,
             request_method="GET", renderer=TEMPLATES + "assessment.pt")
def assessment_form(context, request):
    return _assessment_page(context, request)


@view_config(context=CaseFile, name="valutazione", permission=EDIT_CASE,
             request_method="POST", renderer=TEMPLATES + "assessment.pt")
def assessment_save(context, request):
    """The sheet; a dependent person's needs the required SINA fields (``sina.check``)."""
    sent = body.posted(request, ASSESSMENT_FORM)
    dependent = sent["dependent"] == "1"
    try:
        sheets.set_assessment(
            context, request.authenticated_userid, request.registry,
            day=_day(sent["day"]), summary=sent["summary"], needs=sent["needs"],
            dependent=dependent,
            sina_values={name: sent[f"sina.{name}"] for name in sina.FIELDS},
            sina_needs=sent["sina_needs"], invalidity=sent["sina_invalidity"],
            known_codes=table_for(request.registry))
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _assessment_page(context, request, message, fields, sent)
    audit.log(request, "valutazione sociale registrata", context, non_autosufficiente=dependent)
    flash(request, _("Valutazione registrata."))
    return HTTPSeeOther(request.resource_path(context))


# -- PAI -----------------------------------------------------------------------------------
def _pai_form(case):
    plan = case.pai or {}
    rows = list(plan.get("interventions", ()))
    return {"goals": plan.get("goals", ""), "responsible": plan.get("responsible", ""),
            "review": [d.isoformat() for d in plan.get("reviews", ())],
            **{f"what.{n}": rows[n]["what"] if n < len(rows) else "" for n in range(ROWS)},
            **{f"who.{n}": rows[n].get("who", "") if n < len(rows) else ""
               for n in range(ROWS)}}


def _pai_page(context, request, error=None, errors=None, form=None):
    audit.log_read(request, context, what="PAI")
    plan = context.pai or {}
    done = set(plan.get("done_reviews", ()))
    form = form or _pai_form(context)
    reviews = [r for r in form["review"] if r] + [""] * 3
    return {**summary(request, context), "page_title": t(request, _("Progetto individuale (PAI)")),
            "form": form, "rows": range(ROWS), "review_inputs": reviews,
            "reviews": [{"day": format_date(d), "iso": d.isoformat(), "done": d in done}
                        for d in plan.get("reviews", ())],
            "action": request.resource_path(context, "@@pai"),
            "review_action": request.resource_path(context, "@@pai-verifica"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="pai", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "pai.pt")
def pai_form(context, request):
    return _pai_page(context, request)


@view_config(context=CaseFile, name="pai", permission=EDIT_CASE, request_method="POST",
             renderer=TEMPLATES + "pai.pt")
def pai_save(context, request):
    sent = body.posted(request, PAI_FORM)
    try:
        sheets.set_pai(
            context, request.authenticated_userid, request.registry, goals=sent["goals"],
            interventions=[(sent[f"what.{n}"], sent[f"who.{n}"]) for n in range(ROWS)],
            responsible=sent["responsible"],
            reviews=[_day(v.strip()) for v in sent["review"] if v and v.strip()])
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _pai_page(context, request, message, fields, sent)
    audit.log(request, "PAI aggiornato", context)
    flash(request, _("PAI salvato."))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=CaseFile, name="pai-verifica", permission=EDIT_CASE,
             request_method="POST", renderer=TEMPLATES + "pai.pt")
def review_done(context, request):
    """Mark one review day of the PAI as done."""
    day = _day(body.posted(request, REVIEW_FORM)["day"])
    try:
        if not hasattr(day, "isoformat"):
            raise CaseError(_("Data di verifica non valida."), {"review": _("Data non valida.")})
        sheets.review_done(context, day, request.authenticated_userid, request.registry)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _pai_page(context, request, message, fields)
    audit.log(request, "verifica del PAI svolta", context, giorno=day.isoformat())
    flash(request, _("Verifica del ${day} segnata come svolta.",
                     mapping={"day": format_date(day)}))
    return HTTPSeeOther(request.resource_path(context, "@@pai"))
