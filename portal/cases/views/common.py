"""What the case pages share: translations, names of users, the refusal re-rendered."""
from pyramid.traversal import find_root

from content_types.values import format_date, format_when
from portal.cases.rules import areas, status
from portal.i18n import translate
from portal.web.errors import refuse


def t(request, text):
    return translate(request, text)


def user_title(root, login):
    """«Francesca Gallo (…) — as-bari», or the login of an unknown user."""
    users = root.get("utenti") if login else None
    user = users.get(login) if users is not None else None
    return f"{user.title} ({login})" if user is not None and user.title else (login or "")


def problems(request, exc):
    """(message, {field: message}) of a refused change, the status set on the response."""
    return refuse(request, exc), {k: t(request, v) for k, v in (exc.fields or {}).items()}


def summary(request, case):
    """The case's heading values (every case page shows them)."""
    root = find_root(case)
    return {"case": case, "person": case.__parent__,
            "case_url": request.resource_path(case),
            "status_text": t(request, status.TITLES.get(case.status, case.status)),
            "manager": user_title(root, case.manager) if case.manager else "",
            "team": [user_title(root, login) for login in case.team],
            "area_text": t(request, areas.AREAS[case.area]) if case.area in areas.AREAS else "",
            "opened": format_when(case.opened_at) if case.opened_at else "",
            "format_date": format_date, "format_when": format_when}
