"""OpenAPI 3.1 fragment for ``GET /api/search`` (merged by the portal's document)."""
from catalog.query import FACETS, SORTS

PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500},
     "description": "Testo libero (analisi italiana: radici, accenti, parole vuote)"},
    *[{"name": name, "in": "query", "schema": {"type": "string"}}
      for name in ("type_name", "state", "district", "municipality")],
    {"name": "year", "in": "query", "schema": {"type": "integer"}},
    {"name": "folder", "in": "query", "schema": {"type": "string"},
     "description": "Percorso di una cartella: solo i contenuti al suo interno"},
    {"name": "created_from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "created_to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
    {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                "maximum": 100}},
]
HIT = {
    "type": "object",
    "properties": {
        "uid": {"type": "string"}, "path": {"type": "string"},
        "type_name": {"type": "string"}, "title": {"type": "string"},
        "state": {"type": ["string", "null"]}, "district": {"type": ["string", "null"]},
        "municipality": {"type": ["string", "null"]}, "year": {"type": ["integer", "null"]},
        "created": {"type": ["string", "null"], "format": "date-time"},
        "modified": {"type": ["string", "null"], "format": "date-time"},
        "score": {"type": ["number", "null"]},
        "snippet": {"type": "string", "description": "HTML: testo escapato, <mark> sui termini"},
    },
    "required": ["uid", "path", "type_name", "title"],
}
RESULTS = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "page": {"type": "integer"}, "size": {"type": "integer"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
        "facets": {"type": "object", "properties": {name: {"type": "array", "items": {
            "type": "object", "properties": {"value": {}, "count": {"type": "integer"}}}}
            for name in FACETS}},
        "incomplete": {"type": "boolean",
                       "description": "Modifiche recenti non ancora indicizzate"},
    },
    "required": ["total", "items", "facets", "incomplete"],
}
OPENAPI = {
    "paths": {"/api/search": {"get": {
        "summary": "Ricerca nei contenuti visibili all'utente",
        "operationId": "search",
        "tags": ["ricerca"],
        "parameters": PARAMETERS,
        "responses": {
            "200": {"description": "Risultati", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/SearchResults"}}}},
            "400": {"description": "Parametri non validi (invalid_query)"},
            "503": {"description": "Motore di ricerca non disponibile (search_unavailable)"},
        },
    }}},
    "components": {"schemas": {"SearchHit": HIT, "SearchResults": RESULTS}},
}
