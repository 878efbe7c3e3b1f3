"""OpenAPI fragment for ``POST /api/verify`` (merged into /api/openapi.json)."""

ERROR = {"$ref": "#/components/schemas/Error"}

RESULT = {
    "type": "object",
    "required": ["status", "verdict", "valid", "signatures"],
    "properties": {
        "status": {"type": "string", "enum": ["valid", "invalid", "unsigned", "refused"]},
        "verdict": {"type": "string", "description": "Esito in italiano semplice"},
        "valid": {"type": "boolean"},
        "sha256": {"type": ["string", "null"]},
        "refusal_code": {"type": ["string", "null"]},
        "signatures": {"type": "array", "items": {"type": "object"}},
        "issued": {"type": ["object", "null"],
                   "description": "Il documento emesso da questo portale, se riconosciuto"},
    },
}

OPENAPI = {
    "paths": {"/api/verify": {"post": {
        "summary": "Verifica un PDF firmato (integrità, firmatario, marca temporale, emissione)",
        "operationId": "verifyPdf",
        "security": [],
        "requestBody": {"required": True, "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}},
        }},
        "responses": {
            "200": {"description": "Esito della verifica (anche un file rifiutato è un esito)",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/VerificationResult"}}}},
            "400": {"description": "Nessun file inviato",
                    "content": {"application/json": {"schema": ERROR}}},
            "413": {"description": "File troppo grande",
                    "content": {"application/json": {"schema": ERROR}}},
        },
    }}},
    "components": {"schemas": {"VerificationResult": RESULT}},
}
