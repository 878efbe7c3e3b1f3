"""colander schemas as JSON Schema (for OpenAPI) and JSON values both ways."""
from datetime import date, datetime
from decimal import Decimal

import colander

_SIMPLE = {
    colander.String: {"type": "string"},
    colander.Integer: {"type": "integer"},
    colander.Float: {"type": "number"},
    colander.Boolean: {"type": "boolean"},
    colander.Date: {"type": "string", "format": "date"},
    colander.DateTime: {"type": "string", "format": "date-time"},
    colander.Decimal: {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
    colander.Money: {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$"},
}


def _validators(node):
    validator = node.validator
    if validator is None:
        return []
    if isinstance(validator, colander.All):
        return list(validator.validators)
    return [validator]


def node_schema(node):
    """JSON Schema of one colander node."""
    typ = node.typ
    if isinstance(typ, colander.Mapping):
        return mapping_schema(node)
    if isinstance(typ, (colander.Set, colander.List, colander.Sequence)):
        schema = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
        for validator in _validators(node):
            if isinstance(validator, colander.ContainsOnly):
                schema["items"] = {"type": "string", "enum": sorted(validator.choices)}
    else:
        schema = dict(_SIMPLE.get(type(typ), {"type": "string"}))
    for validator in _validators(node):
        if isinstance(validator, colander.Length):
            if validator.min is not None:
                schema["minLength"] = validator.min
            if validator.max is not None:
                schema["maxLength"] = validator.max
        elif isinstance(validator, colander.Email):
            schema["format"] = "email"
        elif isinstance(validator, colander.Regex):
            schema["pattern"] = validator.match_object.pattern
        elif isinstance(validator, colander.Range):
            if validator.min is not None:
                schema["minimum"] = validator.min
            if validator.max is not None:
                schema["maximum"] = validator.max
        elif isinstance(validator, colander.OneOf):
            schema["enum"] = list(validator.choices)
    if node.title:
        schema["title"] = str(node.title)
    if node.description:
        schema["description"] = str(node.description)
    return schema


def mapping_schema(node, required=True):
    properties = {child.name: node_schema(child) for child in node}
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    names = [child.name for child in node if child.required]
    if required and names:
        schema["required"] = names
    return schema


def to_json(value):
    """A stored value as JSON-friendly data."""
    if isinstance(value, (set, frozenset, tuple, list)):
        return sorted(to_json(v) for v in value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_json(value):
    """A JSON value as colander input: null means "not given"."""
    if value is None:
        return colander.null
    return value


_JSON_TYPES = (
    (colander.String, str, "testo"),
    (colander.Boolean, bool, "vero/falso"),
    (colander.Integer, int, "numero intero"),
    (colander.Float, (int, float), "numero"),
    (colander.Set, list, "elenco"),
    (colander.List, list, "elenco"),
    (colander.Decimal, str, "numero decimale come testo"),
    (colander.Money, str, "importo come testo"),
    (colander.Date, str, "data AAAA-MM-GG"),
)


def type_error(node, value):
    """An Italian message when a JSON value has the wrong type for ``node``."""
    if value is None:
        return None
    for typ, expected, label in _JSON_TYPES:
        if isinstance(node.typ, typ):
            wrong = not isinstance(value, expected) or (
                expected is int and isinstance(value, bool)
            )
            return f"Tipo non valido: atteso {label}." if wrong else None
    return None
