"""Read-only presentation of an object's schema fields."""
from datetime import date, datetime
from decimal import Decimal

import colander
import deform.widget

from content_types.security import VIEW_PERSONAL_DATA
from content_types.values import amount, format_date, format_datetime

HIDDEN_WIDGETS = (deform.widget.CheckedPasswordWidget, deform.widget.PasswordWidget)


def local_time(value):
    """A stored UTC datetime as Rome wall-clock text (what users expect to read)."""
    return format_datetime(value) if value is not None else "—"


def format_value(value):
    if value is None or value in ("", (), set()):
        return "—"
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, (set, frozenset, tuple, list)):
        return ", ".join(str(v) for v in sorted(value, key=str))
    return str(value)


def is_personal(node, value):
    """A schema node marked ``personal`` (True, or a test of the value) holds a person's data."""
    personal = getattr(node, "personal", False)
    return bool(personal(value) if callable(personal) else personal)


def personal_names(info, obj):
    """Names of the fields of ``obj`` that hold personal data of natural persons."""
    if info is None or info.schema is None:
        return set()
    return {node.name for node in info.make_schema()
            if is_personal(node, getattr(obj, node.name, None))}


def may_see_personal(request, obj):
    """Personal fields are for who holds view_personal_data there (officers, the provider)."""
    return bool(request.has_permission(VIEW_PERSONAL_DATA, obj))


def display_fields(info, obj, personal=True):
    """``[{"name", "title", "value"}]`` for the type's schema, secrets (and, unless
    ``personal``, data of natural persons) left out."""
    if info is None or info.schema is None:
        return []
    fields = []
    for node in info.make_schema():
        if isinstance(node.widget, HIDDEN_WIDGETS) or node.name == "title":
            continue
        value = getattr(obj, node.name, None)
        if not personal and is_personal(node, value):
            continue
        if isinstance(node.typ, colander.Set) and hasattr(node.widget, "values"):
            labels = dict(node.widget.values)
            value = {labels.get(v, v) for v in (value or ())}
        fields.append({"name": node.name, "title": node.title, "value": format_value(value)})
    return fields
