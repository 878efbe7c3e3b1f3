"""OpenAPI fragment for the zone plans' sections (``portal.plans.views.api``): read every
section of a version, replace one section all or nothing."""

ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
PATH = {"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "La versione del piano, ad esempio "
                       "«ambiti/ba-01/piani/2025-2027/versione-1»."}
AMOUNT = {"oneOf": [{"type": "string"}, {"type": "number"}],
          "description": "Importo: «12.450,00», «12450.00» o un numero JSON"}
SECTIONS = ("fonti", "cofinanziamento", "interventi", "allocazioni")

PLAN = {
    "type": "object",
    "required": ["number", "state", "years", "editable", "sections", "figures", "problems"],
    "properties": {
        "number": {"type": "integer"}, "state": {"type": "string"},
        "years": {"type": "array", "items": {"type": "integer"}},
        "editable": {"type": "boolean"},
        "sections": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["token", "rows"],
            "properties": {"token": {"type": "string"},
                           "rows": {"type": "array", "items": {"type": "object"}}}}},
        "figures": {"type": "object"},
        "problems": {"type": "array", "items": {
            "type": "object", "properties": {
                "section": {"type": "string"}, "code": {"type": "string"},
                "message": {"type": "string"},
                "key": {"type": "array", "items": {"type": "string"}}}}},
    },
}
SECTION_BODY = {
    "type": "object", "required": ["rows"],
    "properties": {
        "token": {"type": "string", "description": "Il token ricevuto con la sezione: se "
                                                   "nel frattempo è cambiata, 409"},
        "rows": {"type": "array", "maxItems": 5000, "items": {
            "type": "object", "properties": {"amount": AMOUNT, "amounts": {
                "type": "object", "additionalProperties": AMOUNT}}}},
    },
}


def _put(section):
    return {"put": {
        "summary": f"Sostituisci la sezione «{section}» della versione (tutto o niente)",
        "operationId": f"savePlan{section.capitalize()}",
        "security": [{"session": [], "csrf": []}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PlanSection"}}}},
        "responses": {
            "200": {"description": "La versione dopo il salvataggio", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Plan"}}}},
            "400": {"description": "Corpo non valido", **ERROR},
            "401": {"description": "Accesso richiesto", **ERROR},
            "403": {"description": "Solo l'Ambito, mentre il piano è in bozza", **ERROR},
            "409": {"description": "Token scaduto (section_conflict), piano approvato "
                                   "(plan_frozen) o all'esame della Regione "
                                   "(plan_not_editable)", **ERROR},
            "422": {"description": "Celle non valide (invalid_plan_data), ognuna nominata "
                                   "in fields", **ERROR},
        },
    }, "parameters": [PATH]}


OPENAPI = {
    "paths": {
        "/api/{path}/@@sezioni": {"parameters": [PATH], "get": {
            "summary": "Le sezioni di una versione del piano di zona, con i token, le cifre "
                       "per fonte e i problemi",
            "operationId": "readPlanSections",
            "responses": {
                "200": {"description": "La versione", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Plan"}}}},
                "401": {"description": "Accesso richiesto", **ERROR},
                "403": {"description": "Versione non visibile", **ERROR},
            },
        }},
        **{f"/api/{{path}}/@@{section}": _put(section) for section in SECTIONS},
    },
    "components": {"schemas": {"Plan": PLAN, "PlanSection": SECTION_BODY}},
}
