"""Italian labels for the codes the management pages show: roles, permissions, states, fields."""
from content_types.security import GROUP_PREFIX, ROLE_PREFIX, ROLES, USER_PREFIX
from portal.i18n import _
from workflows.registry import workflow_for

#: every permission a view or a workflow names, as an administrator reads it
PERMISSION_TITLES = {
    "view": _("vedere"), "edit": _("modificare"), "delete": _("eliminare"),
    "add_content": _("aggiungere contenuti"), "manage": _("gestire"),
    "manage_users": _("gestire gli utenti"), "change_local_roles": _("assegnare ruoli locali"),
    "view_audit": _("vedere il registro di audit"),
    "view_personal_data": _("vedere i dati personali"),
    "accredit": _("accreditare"), "activate": _("avviare il servizio"), "annul": _("annullare"),
    "integrate": _("integrare la domanda"), "match": _("confermare l'abbinamento"),
    "pay": _("liquidare"), "review": _("istruire"), "revise": _("correggere"),
    "sign": _("firmare"), "submit": _("inviare"), "system_transition": _("passaggi automatici"),
    "validate": _("validare"), "withdraw": _("ritirare"),
    "publish": _("pubblicare"), "review_content": _("revisionare i contenuti"),
    "register_people": _("registrare persone e nuclei"), "open_case": _("aprire la cartella sociale"),
    "view_case": _("leggere la cartella sociale"), "edit_case": _("scrivere nella cartella sociale"),
    "grant_benefit": _("concedere prestazioni"), "export_siuss": _("trasmettere a SIUSS"),
}
#: the roles with no entry in ``content_types.security.ROLES``
EXTRA_ROLE_TITLES = {"Everyone": _("Chiunque"), "system.Everyone": _("Chiunque"),
                     "Authenticated": _("Utenti registrati"),
                     "system.Authenticated": _("Utenti registrati")}


def role_title(translate, role):
    """«Funzionario d'Ambito (RUP)» for ``ats_officer``; an unknown role keeps its name."""
    name = role.removeprefix(ROLE_PREFIX)
    title = ROLES.get(name) or EXTRA_ROLE_TITLES.get(name)
    return translate(title) if title else name


def permission_title(translate, permission):
    title = PERMISSION_TITLES.get(permission)
    return translate(title) if title else permission


def principal_title(translate, principal):
    """«rup-ba01 (utente)» for ``user:rup-ba01``: the login stays, the prefix is said in words."""
    for prefix, kind in ((USER_PREFIX, _("utente")), (GROUP_PREFIX, _("gruppo"))):
        if principal.startswith(prefix):
            return f"{principal[len(prefix):]} ({translate(kind)})"
    if principal.startswith(ROLE_PREFIX):
        return role_title(translate, principal)
    return principal


def workflow_text(request, title):
    """A workflow's Italian title (its own, a state's, a transition's) in the reader's language."""
    return request.localizer.translate(_(title)) if title else ""


def workflow_state_title(request, workflow, state):
    """The title of ``state`` in ``workflow``, for a page (the API keeps the Italian one)."""
    return workflow_text(request, workflow.state_title(state)) if state else ""


def state_title(request, obj, state):
    """The title of ``state`` for ``obj`` on a page (the id when no workflow knows it)."""
    workflow = workflow_for(request.registry, obj)
    return workflow_state_title(request, workflow, state) if workflow is not None and state \
        else (state or "")


def field_labels(info):
    """name -> (title, {stored value: label}) from a content type's colander schema."""
    schema = info.make_schema() if info is not None else None
    labels = {}
    for node in getattr(schema, "children", ()):
        values = getattr(getattr(node, "widget", None), "values", None) or ()
        choices = {}
        for pair in values:
            if isinstance(pair, (tuple, list)) and len(pair) == 2:
                choices[str(pair[0])] = str(pair[1])
        labels[node.name] = (str(node.title) if node.title else node.name, choices)
    return labels
