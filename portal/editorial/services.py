"""Finding what a service page links to: the Region's call by code, the ATS' application folder."""
from pyramid.traversal import find_interface, find_root

from content_types.call import Call
from content_types.district import District
from content_types.region import Region


def calls_in(container):
    """Every Call under ``container`` (the Region's calls and folders of calls: a small subtree)."""
    stack = [container]
    while stack:
        node = stack.pop()
        for child in getattr(node, "values", tuple)():
            if isinstance(child, Call):
                yield child
            elif hasattr(child, "values"):
                stack.append(child)


def current_call(root, code):
    """The Region's current (published, not corrected) call with ``code``, else its latest one."""
    if not code:
        return None
    region = next((c for c in root.values() if isinstance(c, Region)), None)
    if region is None:
        return None
    found = [call for call in calls_in(region) if call.code == code]
    current = [call for call in found if call.current]
    chosen = current or sorted(found, key=lambda call: call.version)
    return chosen[-1] if chosen else None


def application_target(page, call):
    """Where «Accedi al servizio» leads: the ATS' application folder of the call, else the call."""
    district = find_interface(page, District)
    if district is not None:
        domande = district.get("domande")
        folder = domande.get(call.code) if domande is not None else None
        if folder is not None:
            return folder
    return call


def linked_call(page):
    """The call ``page`` names by its code, or None."""
    return current_call(find_root(page), getattr(page, "call_code", ""))
