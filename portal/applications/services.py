"""What the application views share: finding the call, entry, ISEE and folders of an application."""
from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_interface, find_root

import workflows
import workflows.application as application_workflow
from content_types.application import Application
from content_types.application_folder import ApplicationFolder, CallApplicationFolder
from content_types.base import ensure_attr
from content_types.district import District, Municipality
from content_types.events import LocalRolesChanged
from content_types.security import PROVIDER, USER_PREFIX, set_local_roles
from content_types.values import format_date, rome_today, utcnow
from portal.applications.rules import lapse
from portal.applications.rules.isee import IseeRegistry
from portal.applications.rules.protocol import ProtocolCounters
from portal.applications.rules.submission import Situation
from portal.payments import budgets
from workflows.catalogue_entry import PUBLISHED


def now():
    return utcnow()


def today():
    return rome_today(now())


def resolve_path(root, path):
    """The object at an absolute path like «/catalogo/x/y», or None."""
    obj = root
    for part in [p for p in (path or "").split("/") if p]:
        getter = getattr(obj, "get", None)
        obj = getter(part) if getter is not None else None
        if obj is None:
            return None
    return obj


def call_of(folder):
    """The Call a per-call folder (or an application in it) belongs to."""
    folder = find_interface(folder, CallApplicationFolder)
    return resolve_path(find_root(folder), folder.call_path)


def match_last_day(application):
    """While the provider has not confirmed: the last day it may (dd/mm/yyyy, Rome), else ""."""
    if (application.state != lapse.WAITING
            or (application.match_decision or {}).get("accepted")):
        return ""
    call = call_of(application)
    day = lapse.last_day(application, call) if call is not None else None
    return format_date(day) if day else ""


def district_of(obj):
    return find_interface(obj, District)


def domande_of(obj):
    return find_interface(obj, ApplicationFolder)


def municipalities(district):
    """ISTAT code -> title of the municipalities of an ATS."""
    return {m.istat_code: m.title for m in district.values() if isinstance(m, Municipality)}


def entry_of(application):
    """The catalogue entry chosen in the draft (by path), or None."""
    found = resolve_path(find_root(application), application.catalogue_entry_path)
    return found if getattr(found, "type_name", None) == "CatalogueEntry" else None


def published_entries(root, district_code=None):
    """Published catalogue entries (optionally of one ATS), as (path, entry)."""
    found = []
    for provider in root["catalogo"].values():
        for unit in getattr(provider, "values", list)():
            for entry in getattr(unit, "values", list)():
                if getattr(entry, "type_name", None) != "CatalogueEntry":
                    continue
                if entry.state != PUBLISHED:
                    continue
                if district_code and entry.district != district_code:
                    continue
                path = f"/catalogo/{provider.__name__}/{unit.__name__}/{entry.__name__}"
                found.append((path, entry))
    return found


def service_day(call):
    """The day whose tariff applies: the start of the service period (or today)."""
    return call.period_start or today()


def context_for(application):
    """Every lookup the summary and the submission of ``application`` need, done once."""
    call = call_of(application)
    domande = domande_of(application)
    district = district_of(application)
    return Situation(
        application=application, call=call, folder=application.__parent__,
        entry=entry_of(application), counters=domande.protocol_counters,
        isee_provider=domande.isee_registry,
        municipalities=frozenset(municipalities(district)),
        service_day=service_day(call), domande=domande, district=district)


def applications(district, call_code=None):
    """Every application of an ATS (optionally under one call)."""
    domande = district.get("domande")
    if domande is None:
        return []
    found = []
    for name, folder in domande.items():
        if call_code and name != call_code:
            continue
        found.extend(a for a in folder.values() if isinstance(a, Application))
    return found


def ensure_district_folders(district, call, call_path, registry):
    """``domande`` (with counters, ISEE registry) and ``domande/<call>`` of one ATS."""
    domande = district.get("domande")
    if domande is None:
        domande = ApplicationFolder(title="Domande", creator="sistema")
        district.add("domande", domande, registry=registry)
    for name, factory in (("protocol_counters", ProtocolCounters), ("isee_registry", IseeRegistry),
                          ("delegations", OOBTree)):
        ensure_attr(domande, name, factory)
    folder = domande.get(call.code)
    if folder is None:
        folder = CallApplicationFolder(
            title=call.title, creator="sistema", call_uid=call.uid, call_series=call.series,
            call_path=call_path, district_code=district.code)
        domande.add(call.code, folder, registry=registry)
    return folder


def publish_call(root, call, who, call_path, registry, when=None):
    """Publish a call and open its application folder in every ATS."""
    if not call.published:
        call.publish(who, when)
    folders = []
    for district in root["ambiti"].values():
        if isinstance(district, District):
            folders.append(ensure_district_folders(district, call, call_path, registry))
            # the ledger holds the budgets the rankings read: the call's total lands there
            budgets.adopt_call_budget(district, call, who=who, when=when)
    return folders


def provider_operators(entry):
    """User principals holding the provider role on the entry's provider."""
    provider = getattr(entry, "provider", None)
    roles = getattr(provider, "__local_roles__", None) or {}
    return sorted(p for p, granted in roles.items()
                  if PROVIDER in granted and p.startswith(USER_PREFIX))


def grant_provider(request, application, entry):
    """The chosen provider's operators see the application (to accept the match)."""
    for principal in provider_operators(entry):
        set_local_roles(application, principal, {PROVIDER})
    request.registry.notify(LocalRolesChanged(application, request))


def fire_for(request):
    """``fire(obj, name, comment)`` for portal.applications.rules: system transitions run as system."""
    def fire(obj, name, comment=""):
        system = name in (application_workflow.REJECT_AUTO, application_workflow.LAPSE)
        return workflows.fire(obj, None if system else request, name, comment,
                              registry=request.registry)
    return fire


def acting(user, application):
    """(who acts, on whose behalf): a delegate acts for the applicant."""
    if user and application.delegate_login == user and user != application.applicant_login:
        return user, application.applicant_login
    return user, None


def may_see_documents(user, application):
    """The signed receipt is for the family (and its delegate) only."""
    return bool(user) and user in (application.applicant_login, application.delegate_login)


def check_version(application, token):
    """The stale-form check of a POST (``token``: the version it was loaded with), as a 409."""
    from content_types.application import StaleApplication  # noqa: PLC0415
    from portal.errors import StaleForm  # noqa: PLC0415

    try:
        application.check_version(token)
    except StaleApplication as exc:
        raise StaleForm(exc.message) from None
