"""Read-only presentation of an object's schema fields."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import colander
import deform.widget

HIDDEN_WIDGETS = (deform.widget.CheckedPasswordWidget, deform.widget.PasswordWidget)
ROME = ZoneInfo("Europe/Rome")


def local_time(value):
    """A stored UTC datetime as Rome wall-clock text (what users expect to read)."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(ROME)
    return value.strftime("%d/%m/%Y %H:%M")


def format_value(value):
    if value is None or value == "" or value == () or value == set():
        return "—"
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if isinstance(value, (set, frozenset, tuple, list)):
        return ", ".join(str(v) for v in sorted(value, key=str))
    return str(value)


def display_fields(info, obj):
    """``[{"name", "title", "value"}]`` for the type's schema, secrets left out."""
    if info is None or info.schema is None:
        return []
    fields = []
    for node in info.make_schema():
        if isinstance(node.widget, HIDDEN_WIDGETS) or node.name == "title":
            continue
        value = getattr(obj, node.name, None)
        if isinstance(node.typ, colander.Set) and hasattr(node.widget, "values"):
            labels = dict(node.widget.values)
            value = {labels.get(v, v) for v in (value or ())}
        fields.append({"name": node.name, "title": node.title, "value": format_value(value)})
    return fields
