"""The policy on every endpoint: an outsider (cadre of county B) gets 404 on every object of
county A, whatever the method; anonymous callers get 401. The route list is read from the API
itself, so a new endpoint without a case here fails this test."""

import json

import pytest
from django.urls import get_resolver

from zhigong.core.tests import api_matrix

# What each path parameter stands for, as an object of county A.
PARAMS = {
    "org_id": lambda w: w.enterprise_a.pk,
    "person_id": lambda w: w.worker_person.pk,
    "employment_id": lambda w: w.worker_person.employments.get().pk,
    "membership_id": lambda w: w.worker_person.memberships.get().pk,
    "token_id": lambda w: w.cadre_a.api_tokens.get().pk,
    "year": lambda w: 2025,
    "id": lambda w: 1,
}
# Public endpoints (outside auditors verify the trail with no account).
PUBLIC_PREFIXES = ("/api/v1/trail/",)
BODIES = {
    "/api/v1/organizations/{org_id}/move": {"parent_id": 0},
    "/api/v1/organizations/{org_id}/profits/{year}": {"profit_fen": 1},
    "/api/v1/organizations/{org_id}": {"name": "x"},
    "/api/v1/people/{person_id}": {"name": "x", "mobile": ""},
    "/api/v1/people/{person_id}/employments": {"enterprise_id": 0, "start_date": "2026-01-01",
                                               "form": "labour_contract", "monthly_wage_fen": 1},
    "/api/v1/employments/{employment_id}/end": {"end_date": "2026-01-01"},
    "/api/v1/people/{person_id}/memberships": {"union_id": 0, "joined_on": "2026-01-01"},
    "/api/v1/memberships/{membership_id}/leave": {"left_on": "2026-01-01"},
    "/api/v1/memberships/{membership_id}/transfer": {"union_id": 0, "on": "2026-01-01"},
}


def object_routes():
    return api_matrix.routes("core") + [r for r in api_matrix.routes("trail")]


def fill(template: str, world) -> str:
    path = template
    for name, value in PARAMS.items():
        path = path.replace("{" + name + "}", str(value(world)))
    assert "{" not in path, f"add a PARAMS entry for {template}"
    return path


def call(client, method, path, body=None, **headers):
    return client.generic(method, path, data=json.dumps(body or {}),
                          content_type="application/json", **headers)


@pytest.fixture
def tokens(world):
    from zhigong.core import actions

    _token, raw_a = actions.issue_token(world.cadre_a, "cadre a")
    _token, raw_out = actions.issue_token(world.outsider, "outsider")
    return {"cadre_a": raw_a, "outsider": raw_out}


def test_outsider_gets_404_on_every_object_route(world, tokens, client):
    checked = 0
    for method, template in object_routes():
        if "{" not in template or template.startswith(PUBLIC_PREFIXES):
            continue
        path = fill(template, world)
        response = call(client, method, path, BODIES.get(template),
                        HTTP_AUTHORIZATION=f"Bearer {tokens['outsider']}")
        assert response.status_code == 404, (method, template, response.content)
        assert response.json()["code"] == "not_found"
        checked += 1
    assert checked >= 15


def test_anonymous_gets_401_everywhere_but_public(world, tokens, client):
    for method, template in object_routes():
        if template.startswith(PUBLIC_PREFIXES):
            continue
        path = fill(template, world) if "{" in template else template
        response = call(client, method, path, BODIES.get(template))
        assert response.status_code == 401, (method, template)
        assert set(response.json()) == {"code", "message", "details"}


def test_outsider_lists_show_nothing_of_county_a(world, tokens, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['outsider']}"}
    orgs = client.get("/api/v1/organizations?page_size=100", **auth).json()["items"]
    assert {o["id"] for o in orgs} == {world.county_b.pk, world.enterprise_b.pk, world.union_b.pk}
    people = client.get("/api/v1/people?page_size=100", **auth).json()["items"]
    assert [p["id"] for p in people] == [world.person_b.pk]


def test_cadre_of_county_a_reaches_the_same_routes(world, tokens, client):
    """The other side of the 404s: the owner gets 200 on the reads."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['cadre_a']}"}
    for method, template in object_routes():
        if method != "GET" or "{" not in template or template.startswith(PUBLIC_PREFIXES):
            continue
        response = client.get(fill(template, world), **auth)
        assert response.status_code == 200, (template, response.content)


def test_urlconf_has_the_api():
    assert any("api/v1/" in str(p.pattern) for p in get_resolver().url_patterns)


def test_every_tag_has_an_outsider_test():
    assert api_matrix.tags() <= api_matrix.COVERED_TAGS
