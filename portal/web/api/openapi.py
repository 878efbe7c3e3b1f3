"""The OpenAPI 3 document, generated from the content registry's schemas."""
from content_types.registry import get_content_registry
from portal.web.api.documents_openapi import OPENAPI as VERIFY
from portal.web.api.jsonschema import mapping_schema
from portal.web.api.monitoring_openapi import OPENAPI as MONITORING
from portal.web.api.plans_openapi import OPENAPI as PLANS
from portal.web.api.search_openapi import OPENAPI as SEARCH

ERROR = {"$ref": "#/components/schemas/Error"}


def _error_responses(*codes):
    text = {400: "Dati o JSON non validi", 401: "Autenticazione richiesta",
            403: "Operazione non consentita", 404: "Risorsa non trovata",
            409: "Conflitto (nome già in uso, documento protocollato da annullare)",
            412: "Precondizione non soddisfatta: If-Match non corrisponde alla versione attuale "
                 "(nulla è stato scritto)",
            413: "Corpo JSON troppo grande", 415: "Il corpo deve essere application/json (UTF-8)",
            422: "Tipo non aggiungibile qui"}
    return {
        str(code): {"description": text[code],
                    "content": {"application/json": {"schema": ERROR}}}
        for code in codes
    }


#: conditional requests (RFC 9110 §13): optional everywhere
IF_MATCH = {"$ref": "#/components/parameters/IfMatch"}
IF_NONE_MATCH = {"$ref": "#/components/parameters/IfNoneMatch"}
ETAG = {"ETag": {"$ref": "#/components/headers/ETag"}}
NOT_MODIFIED = {"304": {"description": "Non modificato rispetto all'ETag in If-None-Match",
                        "headers": ETAG}}
CONDITIONAL = {
    "parameters": {
        "IfMatch": {
            "name": "If-Match", "in": "header", "required": False,
            "description": "Scrivi solo se l'ETag attuale è tra quelli indicati (altrimenti "
                           "412 e nulla cambia); «*» o assente: nessun controllo.",
            "schema": {"type": "string"},
        },
        "IfNoneMatch": {
            "name": "If-None-Match", "in": "header", "required": False,
            "description": "Rispondi 304 se l'ETag attuale è tra quelli indicati.",
            "schema": {"type": "string"},
        },
    },
    "headers": {
        "ETag": {"description": "Versione della rappresentazione (ETag forte): cambia a ogni "
                                "modifica e passaggio di stato",
                 "schema": {"type": "string"}},
    },
}

PATH_PARAM = {
    "name": "path", "in": "path", "required": True,
    "description": "Percorso dell'oggetto nell'albero, ad esempio «ambiti/ba-01».",
    "schema": {"type": "string"},
}


def _merge(doc, fragment):
    """Add another package's paths and component schemas (e.g. the search API)."""
    doc["paths"].update(fragment.get("paths", {}))
    doc["components"]["schemas"].update(fragment.get("components", {}).get("schemas", {}))
    return doc


def build_openapi(registry):
    return _merge(_merge(_merge(_merge(_build(registry), SEARCH), VERIFY), MONITORING), PLANS)


def _build(registry):
    content = get_content_registry(registry)
    schemas = {
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }},
        },
        "Object": {
            "type": "object",
            "required": ["@id", "@type", "name", "uid", "title", "data"],
            "properties": {
                "@id": {"type": "string"}, "@type": {"type": "string"},
                "name": {"type": "string"}, "uid": {"type": "string"},
                "title": {"type": "string"}, "state": {"type": ["string", "null"]},
                "created": {"type": ["string", "null"]}, "modified": {"type": ["string", "null"]},
                "creator": {"type": ["string", "null"]}, "children_url": {"type": "string"},
                "data": {"type": "object"},
                "workflow": {
                    "type": "object", "required": ["name", "state", "transitions"],
                    "properties": {
                        "name": {"type": "string"}, "state": {"type": "string"},
                        "state_title": {"type": "string"},
                        "transitions": {"type": "array", "items": {"type": "string"}},
                        "transition_url": {"type": "string"},
                    },
                },
            },
        },
        "Listing": {
            "type": "object", "required": ["items", "total", "start", "limit"],
            "properties": {
                "items": {"type": "array", "items": {"type": "object"}},
                "total": {"type": "integer"}, "start": {"type": "integer"},
                "limit": {"type": "integer"},
                "addable_types": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Session": {
            "type": "object", "required": ["user", "csrf_token"],
            "properties": {"user": {"type": ["object", "null"]},
                           "csrf_token": {"type": "string"}},
        },
    }
    create_refs = []
    for info in sorted(content, key=lambda i: i.name):
        if info.schema is None:
            continue
        data = mapping_schema(info.make_schema())
        schemas[f"{info.name}Data"] = data
        patch = dict(data)
        patch.pop("required", None)
        schemas[f"{info.name}Patch"] = patch
        if info.addable_to:
            create = {
                "type": "object", "required": ["type"] + data.get("required", []),
                "properties": {"type": {"type": "string", "enum": [info.name]},
                               "name": {"type": "string"}, **data["properties"]},
                "additionalProperties": False,
            }
            schemas[f"{info.name}Create"] = create
            create_refs.append({"$ref": f"#/components/schemas/{info.name}Create"})
    data_refs = [{"$ref": f"#/components/schemas/{n}"} for n in schemas if n.endswith("Data")]
    patch_refs = [{"$ref": f"#/components/schemas/{n}"} for n in schemas if n.endswith("Patch")]
    obj = {"application/json": {"schema": {"$ref": "#/components/schemas/Object"}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API del Portale dei servizi sociali",
            "version": "1.0.0",
            "description": (
                "Lettura e modifica dei contenuti del portale con gli stessi permessi e le "
                "stesse validazioni dei moduli. Le richieste che modificano dati richiedono "
                "il cookie di sessione e l'intestazione X-CSRF-Token (da GET /api/sessione). "
                "Ogni rappresentazione ha un ETag: inviandolo in If-Match, una scrittura su "
                "una versione non più attuale è rifiutata con 412 e nulla cambia."
            ),
        },
        "components": {
            "schemas": schemas,
            **CONDITIONAL,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "portale_sessione"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
        "paths": {
            "/api/openapi.json": {"get": {
                "summary": "Questo documento", "operationId": "openapi", "security": [],
                "responses": {"200": {"description": "Documento OpenAPI",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
            "/api/sessione": {"get": {
                "summary": "Utente corrente e token CSRF", "operationId": "session", "security": [],
                "responses": {"200": {"description": "Sessione", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Session"}}}}},
            }},
            "/api/{path}": {
                "parameters": [PATH_PARAM],
                "get": {
                    "summary": "Leggi un oggetto", "operationId": "read",
                    "parameters": [IF_NONE_MATCH],
                    "responses": {"200": {"description": "L'oggetto", "content": obj,
                                          "headers": ETAG},
                                  **NOT_MODIFIED, **_error_responses(401, 403, 404)},
                },
                "put": {
                    "summary": "Sostituisci i dati di un oggetto", "operationId": "replace",
                    "security": [{"session": [], "csrf": []}], "parameters": [IF_MATCH],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"oneOf": data_refs}}}},
                    "responses": {"200": {"description": "Oggetto aggiornato", "content": obj,
                                          "headers": ETAG},
                                  **_error_responses(400, 401, 403, 404, 412, 413, 415)},
                },
                "patch": {
                    "summary": "Modifica alcuni campi di un oggetto", "operationId": "update",
                    "security": [{"session": [], "csrf": []}], "parameters": [IF_MATCH],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"oneOf": patch_refs}}}},
                    "responses": {"200": {"description": "Oggetto aggiornato", "content": obj,
                                          "headers": ETAG},
                                  **_error_responses(400, 401, 403, 404, 412, 413, 415)},
                },
                "delete": {
                    "summary": "Elimina un oggetto (un documento protocollato non si elimina: "
                               "se ne annulla la registrazione)", "operationId": "delete",
                    "security": [{"session": [], "csrf": []}], "parameters": [IF_MATCH],
                    "responses": {"204": {"description": "Eliminato"},
                                  **_error_responses(400, 401, 403, 404, 409, 412)},
                },
            },
            "/api/{path}/@@transizione": {
                "parameters": [PATH_PARAM],
                "post": {
                    "summary": "Esegui un passaggio di stato del workflow",
                    "operationId": "transition",
                    "security": [{"session": [], "csrf": []}], "parameters": [IF_MATCH],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"type": "object", "required": ["transition"],
                                   "properties": {"transition": {"type": "string"},
                                                  "comment": {"type": "string", "maxLength": 2000}},
                                   "additionalProperties": False}}}},
                    "responses": {
                        "200": {"description": "Stato cambiato", "content": {"application/json": {
                            "schema": {"oneOf": [
                                {"$ref": "#/components/schemas/Object"},
                                {"type": "object", "required": ["state", "visible"],
                                 "properties": {"state": {"type": "string"},
                                                "visible": {"const": False}}}]}}},
                                "headers": ETAG},
                        **_error_responses(400, 401, 403, 404, 409, 412, 413, 415, 422),
                    },
                },
            },
            "/api/{path}/@@contenuti": {
                "parameters": [PATH_PARAM],
                "get": {
                    "summary": "Elenca i contenuti visibili di un contenitore",
                    "operationId": "listChildren",
                    "parameters": [
                        IF_NONE_MATCH,
                        {"name": "start", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                        {"name": "limit", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    ],
                    "responses": {"200": {"description": "Una pagina di contenuti", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Listing"}}},
                        "headers": ETAG},
                        **NOT_MODIFIED, **_error_responses(400, 401, 403, 404)},
                },
                "post": {
                    "summary": "Crea un contenuto nel contenitore", "operationId": "create",
                    "security": [{"session": [], "csrf": []}], "parameters": [IF_MATCH],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"oneOf": create_refs}}}},
                    "responses": {"201": {"description": "Creato", "content": obj,
                                          "headers": ETAG},
                                  **_error_responses(400, 401, 403, 404, 409, 412, 413, 415,
                                                     422)},
                },
            },
        },
    }
