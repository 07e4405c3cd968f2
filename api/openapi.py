"""The refusals written into the published OpenAPI schema beside each operation's own answers.

ninja lists only what an operation declares (its 200, and the 409 of a refused change), while every
operation may also be refused before it runs, in the shapes ``api.errors`` gives: a body that is not
JSON (400), not signed in (401), a write the token or session may not make (403), a record missing or
not the user's, in the path or named in the body (404), input that does not match the schema (422). A client generated from the schema should know them all; each
is added where it can happen, and an answer an operation declares itself is left as it is.

Text may not hold a NUL character (core.middleware.NulRefusalMiddleware in the address, core.params.Text
in a body: 422), so every free string of the input says so with a pattern; a client checking its input
against the schema, or a fuzzer, otherwise learns it only from the refusal.
"""

REFUSAL = "Refusal"
INVALID_INPUT = "InvalidInput"
WRITE_METHODS = {"post", "put", "patch", "delete"}
NO_NUL = "^[^\\u0000]*$"
# A string these already constrain (a choice, a date, a pattern of its own) is left as it is.
CONSTRAINED = {"enum", "const", "format", "pattern"}

COMPONENTS = {
    REFUSAL: {
        "title": REFUSAL,
        "description": "A request refused before it ran; `detail` says why, in the user's language.",
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    INVALID_INPUT: {
        "title": INVALID_INPUT,
        "description": (
            "Input that does not match the schema: one entry per value, read by `type` and `loc`, "
            "with `msg` in the user's language."
        ),
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                        "msg": {"type": "string"},
                        "ctx": {"type": "object"},
                    },
                    "required": ["type", "loc", "msg"],
                },
            }
        },
        "required": ["detail"],
    },
}

DESCRIPTIONS = {
    400: "The request body is not valid JSON",
    401: "Not signed in, and no valid token in `Authorization: Bearer …`",
    403: "A read-only token, or a session without its CSRF token, may not write",
    404: "No such record, or not one the user may see (the same answer for both)",
    422: "Input that does not match the schema",
}


def refusals(method: str, path: str, operation: dict) -> dict[int, str]:
    """The refusals an operation can answer with, each with the component its body follows."""
    found = {}
    if operation.get("requestBody"):
        found[400] = REFUSAL
    if operation.get("security"):
        found[401] = REFUSAL
        if method in WRITE_METHODS:
            found[403] = REFUSAL
    if "{" in path or operation.get("requestBody"):
        found[404] = REFUSAL
    if operation.get("parameters") or operation.get("requestBody"):
        found[422] = INVALID_INPUT
    return found


def with_refusals(schema: dict) -> dict:
    """``schema`` with the refusals of every operation listed (in place, and returned)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(COMPONENTS)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            for status, component in refusals(method, path, operation).items():
                answers.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    # The input, not the refusals: a 422 names the parameter as sent, NUL and all.
    without_nul(schema.get("paths", {}))
    without_nul([shape for name, shape in components.items() if name not in COMPONENTS])
    return schema


def without_nul(node) -> None:
    """Every free string under ``node`` (a schema, in place) declared to hold no NUL character."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not CONSTRAINED & node.keys():
            node["pattern"] = NO_NUL
        for value in node.values():
            without_nul(value)
    elif isinstance(node, list):
        for value in node:
            without_nul(value)
