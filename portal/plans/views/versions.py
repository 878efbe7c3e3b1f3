"""A plan's versions: a revision of the approved plan, and the differences between two versions."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.security import ADD_CONTENT, VIEW
from content_types.values import euro
from content_types.zone_plan import ZonePlan
from portal import audit
from portal.i18n import _
from portal.plans import comparison, store
from portal.web.layout import flash


@view_config(context=ZonePlan, name="nuova-versione", permission=ADD_CONTENT,
             request_method="POST")
def new_version(context, request):
    """A draft copy of the approved version (VersionOpen, a 409, while one is still open)."""
    created = store.new_version(context, who=request.authenticated_userid,
                                registry=request.registry)
    audit.log(request, "nuova versione del piano di zona", created, version=created.number,
              based_on=created.based_on)
    flash(request, _("Creata la versione ${number} del piano: è una bozza con i dati della "
                     "versione ${based_on}.",
                     mapping={"number": created.number, "based_on": created.based_on}))
    return HTTPSeeOther(request.resource_path(created))


def shown(value):
    return "—" if value is None else euro(value)


def difference(value):
    """«+€ 1.000,00», «-€ 500,00», «—» for none: the sign is what the reader looks for."""
    if not value:
        return "—"
    return ("+" if value > 0 else "-") + euro(abs(value))


def line(item, marks=None):
    marks = marks or {}
    return {"code": item.code, "title": item.title, "before": shown(item.before),
            "after": shown(item.after), "delta": difference(item.delta),
            "changed": item.changed, "mark": marks.get(item.code, "")}


@view_config(context=ZonePlan, name="confronta", permission=VIEW, request_method="GET",
             renderer="portal:templates/plans/versions_diff.pt")
def compare(context, request):
    """What changed between two versions the person may see (the last two by default)."""
    translate = request.localizer.translate
    pair = comparison.chosen(context, request.GET.get("da", ""), request.GET.get("a", ""),
                             lambda v: request.has_permission(VIEW, v))
    page = {"page_title": translate(_("Confronto tra versioni — ${title}",
                                      mapping={"title": context.title})),
            "plan_url": request.resource_path(context), "pair": pair is not None,
            "versions": [v.number for v in store.versions_of(context)
                         if request.has_permission(VIEW, v)],
            "action_url": request.resource_path(context, "@@confronta"),
            "older": None, "newer": None}
    if pair is None:
        return page
    older, newer = pair
    found, before, after = comparison.compare(older, newer)
    plan = {"older": before, "newer": after}
    titles = {i.code: i.title for p in plan.values() for i in p.interventions}
    sources = {s.code: s.title for p in plan.values() for s in p.sources}
    older_codes = {i.code for i in plan["older"].interventions}
    newer_codes = {i.code for i in plan["newer"].interventions}
    marks = {**{c: translate(_("aggiunto")) for c in newer_codes - older_codes},
             **{c: translate(_("eliminato")) for c in older_codes - newer_codes}}
    return {**page, "older": older.number, "newer": newer.number, "empty": found.empty,
            "available": [line(x) for x in found.available],
            "allocated": [line(x) for x in found.allocated],
            "interventions": [line(x, marks) for x in found.interventions],
            "added": found.added, "removed": found.removed,
            "cells": [{"intervention": titles.get(c.intervention, c.intervention),
                       "code": c.intervention, "source": sources.get(c.source, c.source),
                       "source_code": c.source, "year": c.year, "before": shown(c.before),
                       "after": shown(c.after), "delta": difference(c.delta)}
                      for c in found.cells]}
