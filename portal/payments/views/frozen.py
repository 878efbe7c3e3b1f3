"""A signed payment act answers every attempt to change it with why it cannot (409, Italian).

Its ACL already denies editing to everyone; these views, more specific than the generic
edit, delete and API ones, turn the bare 403 into ``ActSigned``'s message, which says
what to do instead (a correction act).
"""
from pyramid.view import view_config

from content_types.payment_act import PaymentAct
from content_types.security import VIEW
from portal.payments.rules.errors import ActSigned


@view_config(context=PaymentAct, name="modifica", permission=VIEW)
@view_config(context=PaymentAct, name="elimina", permission=VIEW)
@view_config(route_name="api", context=PaymentAct, request_method=("PUT", "PATCH", "DELETE"),
             permission=VIEW)
def signed_act_is_frozen(context, request):
    raise ActSigned(fields={"atto": context.protocol or "firmato"})
