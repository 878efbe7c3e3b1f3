"""OpenAPI fragment for ``GET /api/regione/@@monitoraggio``: the payments feed for the Region's
monitoring system (MIR); the layout of its records is documented in the README."""

ERROR = {"$ref": "#/components/schemas/Error"}
DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

FEED = {
    "type": "object",
    "required": ["tracciato", "versione", "generato_il", "periodo", "campi", "totali", "record"],
    "properties": {
        "tracciato": {"type": "string", "const": "MIR-BUONI-SERVIZIO-PAGAMENTI"},
        "versione": {"type": "string"},
        "generato_il": {"type": "string", "format": "date-time"},
        "periodo": {"type": "object", "required": ["dal", "al"],
                    "properties": {"dal": DAY, "al": DAY}},
        "campi": {"type": "array", "items": {"type": "object"}},
        "totali": {"type": "object"},
        "record": {"type": "array", "items": {
            "type": "object", "additionalProperties": {"type": "string"}}},
    },
}

OPENAPI = {
    "paths": {"/api/regione/@@monitoraggio": {"get": {
        "summary": "Pagamenti e storni del periodo per il monitoraggio regionale (MIR), "
                   "un record per riga pagata per fondo",
        "operationId": "monitoringFeed",
        "parameters": [
            {"name": "dal", "in": "query", "required": True, "schema": DAY,
             "description": "Primo giorno del periodo (ora italiana, incluso)"},
            {"name": "al", "in": "query", "required": True, "schema": DAY,
             "description": "Ultimo giorno del periodo (incluso)"},
            {"name": "formato", "in": "query", "required": False,
             "schema": {"type": "string", "enum": ["json", "csv"]}},
        ],
        "responses": {
            "200": {"description": "Il flusso del periodo",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/MonitoringFeed"}},
                                "text/csv": {"schema": {"type": "string"}}}},
            "400": {"description": "Periodo mancante o non valido (codice invalid_period)",
                    "content": {"application/json": {"schema": ERROR}}},
            "403": {"description": "Solo i funzionari della Regione",
                    "content": {"application/json": {"schema": ERROR}}},
        },
    }}},
    "components": {"schemas": {"MonitoringFeed": FEED}},
}
