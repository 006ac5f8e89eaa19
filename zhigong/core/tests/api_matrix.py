"""The outsider matrix shared by every app's API policy test: every operation of the OpenAPI
schema, by tag, filled with objects of county A."""

import json

from zhigong.api import api

# Tags whose outsider test exists; a new tag fails test_every_tag_has_an_outsider_test.
COVERED_TAGS = {"core", "congress", "trail", "participation", "box", "evaluation", "tracking", "ledger", "mutualaid",
                "disclosure"}
PUBLIC_TAGS = {"trail", "box"}


def routes(tag: str | None = None) -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if tag is None or tag in operation.get("tags", []):
                found.add((method.upper(), path.rstrip("/")))
    return sorted(found)


def tags() -> set[str]:
    schema = api.get_openapi_schema()
    return {t for ops in schema["paths"].values() for op in ops.values() for t in op.get("tags", [])}


def fill(template: str, params: dict) -> str:
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"add a parameter for {template}"
    return path


def call(client, method, path, body=None, **headers):
    """JSON, or multipart when the body is marked {"__multipart__": {...}} (file uploads)."""
    if body and "__multipart__" in body:
        return client.post(path, data=body["__multipart__"], **headers)
    return client.generic(method, path, data=json.dumps(body or {}), content_type="application/json", **headers)


def assert_outsider_gets_404(client, tag: str, params: dict, bodies: dict, token: str) -> int:
    """Every operation of `tag` with a path parameter answers 404 {code: not_found}."""
    checked = 0
    for method, template in routes(tag):
        if "{" not in template:
            continue
        response = call(client, method, fill(template, params), bodies.get(template),
                        HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 404, (method, template, response.content)
        assert response.json()["code"] == "not_found"
        checked += 1
    return checked
