"""A correction of a published call: the new version takes the old one's place in the tree.

The ATS folders keep pointing at ``/regione/avvisi/<code>`` (now the new version); the
old version stays beside it as ``<code>-versione-<n>`` so applications filed under it
(``call_uid``, ``call_version``) and the differences page still find it.
"""
from pyramid.traversal import resource_path

from content_types.application_folder import CallApplicationFolder
from content_types.district import District
from portal.applications.services import publish_call


def old_name(call):
    return f"{call.code}-versione-{call.version}"


def publish_new_version(root, call, reason, who, data, budgets, registry):
    """Make, place and publish the next version of ``call`` (every check first: nothing half-done)."""
    changes = {k: v for k, v in data.items() if k != "budgets"}
    new = call.new_version(reason, who, **changes)  # refuses without a reason, before any write
    folder, name = call.__parent__, call.__name__
    path = resource_path(call)
    folder.rename(name, old_name(call), registry=registry)
    folder.add(name, new, registry=registry)
    new.budget_log = call.budget_log
    for code, value in budgets.items():
        if str(value) != call.budget_for(code):
            new.set_budget(code, value, reason=reason, who=who)  # a draft: logged, not refused
    new.publish(who, previous=call)
    publish_call(root, new, who, path, registry)
    for district in root["ambiti"].values():
        domande = district.get("domande") if isinstance(district, District) else None
        applications = domande.get(new.code) if domande is not None else None
        if isinstance(applications, CallApplicationFolder):
            applications.call_uid = new.uid
            applications.title = new.title
    return new
