"""The OpenAPI 3.1 document of `/api/v1` (served at `/api/v1/openapi.json`)."""

from __future__ import annotations

from levensloop.api.services import REPORTS_READ

_SHOWN = {
    "type": "object",
    "required": ["maatregel", "uitsplitsing", "waarde", "weergave", "onderdrukt"],
    "properties": {
        "maatregel": {"type": "string", "description": "Code van de maatregel."},
        "uitsplitsing": {
            "type": "string",
            "description": "Code van de uitsplitsing; leeg zonder uitsplitsing, 'totaal' voor "
            "het totaal van een regio of het landelijk totaal.",
        },
        "waarde": {
            "type": ["integer", "null"],
            "description": "Het aantal; null als de cel is afgeschermd.",
        },
        "weergave": {
            "type": "string",
            "description": "Zoals gepubliceerd: het getal, '<5' of '<10' (klein aantal), 'x' "
            "(verborgen zodat een klein aantal niet uit de totalen is af te leiden) of '–'.",
        },
        "onderdrukt": {"type": "boolean"},
    },
    "additionalProperties": False,
}


def document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Levensloop API",
            "version": "1",
            "description": "Maandcijfers van de Levensloopaanpak per regio (Zorg- en "
            "Veiligheidshuis), met dezelfde afscherming van kleine aantallen als de landelijke "
            "weergave: geen persoonsgegevens. Toegang met een API-sleutel die de functioneel "
            "beheerder aanmaakt.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": [REPORTS_READ]}],
        "paths": {
            "/rapportages/maand": {
                "get": {
                    "operationId": "maandcijfers",
                    "summary": "Maandcijfers van alle regio's of van één regio",
                    "description": "De laatste revisie van elke regio voor de maand, met "
                    "primaire en secundaire afscherming over alle regio's samen (ook als u één "
                    "regio vraagt). Landelijke totalen zijn exact, behalve waar alleen een "
                    "verborgen totaal een klein aantal van één regio afschermt.",
                    "security": [{"bearerAuth": [REPORTS_READ]}],
                    "parameters": [
                        {
                            "name": "maand",
                            "in": "query",
                            "required": True,
                            "description": "Een afgelopen maand, JJJJ-MM.",
                            "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                            "example": "2026-10",
                        },
                        {
                            "name": "regio",
                            "in": "query",
                            "required": False,
                            "description": "Code van één regio. Een sleutel voor één regio "
                            "krijgt alleen die regio.",
                            "schema": {"type": "string", "maxLength": 40},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "De maandcijfers.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Maandcijfers"}
                                }
                            },
                        },
                        "400": {"$ref": "#/components/responses/Fout"},
                        "401": {
                            "description": "Geen, een onbekende, een verlopen of een "
                            "ingetrokken sleutel.",
                            "headers": {
                                "WWW-Authenticate": {"schema": {"type": "string"}},
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Fout"}
                                }
                            },
                        },
                        "403": {"$ref": "#/components/responses/Fout"},
                        "404": {"$ref": "#/components/responses/Fout"},
                        "429": {"$ref": "#/components/responses/Fout"},
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <sleutel>. Een sleutel heeft een "
                    f"scope ('{REPORTS_READ}'), een einddatum (hoogstens een jaar) en kan "
                    "worden ingetrokken.",
                }
            },
            "responses": {
                "Fout": {
                    "description": "Een fout, met een Nederlandse uitleg.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}
                    },
                }
            },
            "schemas": {
                "Fout": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "integer"},
                        "message": {"type": "string"},
                    },
                },
                "Cel": _SHOWN,
                "Maandcijfers": {
                    "type": "object",
                    "required": [
                        "maand",
                        "afscherming",
                        "maatregelen",
                        "regios",
                        "landelijk",
                        "regios_zonder_cijfers",
                    ],
                    "properties": {
                        "maand": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                        "afscherming": {
                            "type": "object",
                            "required": ["drempel", "drempel_gevoelig", "toelichting"],
                            "properties": {
                                "drempel": {"type": "integer"},
                                "drempel_gevoelig": {"type": "integer"},
                                "toelichting": {"type": "string"},
                            },
                        },
                        "maatregelen": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "naam", "gevoelig", "uitsplitsingen"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "naam": {"type": "string"},
                                    "gevoelig": {"type": "boolean"},
                                    "uitsplitsingen": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["code", "naam"],
                                            "properties": {
                                                "code": {"type": "string"},
                                                "naam": {"type": "string"},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                        "regios": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "naam", "revisie", "vastgelegd_op", "cijfers"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "naam": {"type": "string"},
                                    "revisie": {"type": "integer", "minimum": 1},
                                    "vastgelegd_op": {"type": "string", "format": "date-time"},
                                    "cijfers": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Cel"},
                                    },
                                },
                            },
                        },
                        "landelijk": {
                            "type": "object",
                            "required": ["aantal_regios", "cijfers"],
                            "properties": {
                                "aantal_regios": {"type": "integer"},
                                "cijfers": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Cel"},
                                },
                            },
                        },
                        "regios_zonder_cijfers": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "naam"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "naam": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
