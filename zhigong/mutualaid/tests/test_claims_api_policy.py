"""Every claim endpoint answers 404 to an outsider (a cadre of county B) for county A's claims and
coverages, 401 to anonymous callers; a worker sees only their own claims, never a colleague's."""

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid.tests import claims_setup as setup
from zhigong.mutualaid.tests.test_claims_submit import _colleague

BODIES = {
    "/api/v1/mutualaid/claims/{claim_id}/reject": {"reason": "x"},
    "/api/v1/mutualaid/claims/{claim_id}/appeal": {"reason": "x"},
    "/api/v1/mutualaid/claims/{claim_id}/documents": {"__multipart__": {"kind": "invoice", "file": setup.pdf()}},
}
CLAIM_ROUTES = {
    ("GET", "/api/v1/mutualaid/claimable-coverages"), ("POST", "/api/v1/mutualaid/claims"),
    ("GET", "/api/v1/mutualaid/claims"), ("GET", "/api/v1/mutualaid/my/claims"),
    ("GET", "/api/v1/mutualaid/claims/{claim_id}"), ("POST", "/api/v1/mutualaid/claims/{claim_id}/approve"),
    ("POST", "/api/v1/mutualaid/claims/{claim_id}/reject"), ("POST", "/api/v1/mutualaid/claims/{claim_id}/appeal"),
    ("POST", "/api/v1/mutualaid/claims/{claim_id}/adjudicate"),
    ("POST", "/api/v1/mutualaid/claims/{claim_id}/documents"),
    ("GET", "/api/v1/mutualaid/claims/{claim_id}/documents/{document_id}"),
    ("POST", "/api/v1/mutualaid/claims-adjudication"),
}


def claim_routes() -> list[tuple[str, str]]:
    """The claim part's routes (the payment part's claim routes are tested with payments)."""
    return [(m, t) for m, t in api_matrix.routes("mutualaid")
            if ("/claims" in t or "/claimable" in t) and "payment" not in t]


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


@pytest.fixture
def cw(world):
    return setup.build(world)


@pytest.fixture
def params(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    claim = actions.submit_claim(world.worker, setup.stay(coverage, setup.date(2026, 5, 1), 10),
                                 [("invoice", setup.pdf())])
    return {"claim_id": claim.pk, "document_id": claim.documents.get().pk, "coverage_id": coverage.pk}


def test_the_claim_routes_are_in_the_schema():
    assert set(claim_routes()) == CLAIM_ROUTES


def test_outsider_gets_404_on_every_claim(params, world, client):
    checked = 0
    for method, template in claim_routes():
        if "{" not in template:
            continue
        body = BODIES.get(template)
        if body and "__multipart__" in body:
            body = {"__multipart__": {"kind": "invoice", "file": setup.pdf()}}
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body, **_auth(world.outsider))
        assert response.status_code == 404, (method, template, response.content)
        assert response.json()["code"] == "not_found"
        checked += 1
    assert checked == 7


def test_outsider_cannot_reach_county_a_through_a_body_or_a_list(params, world, client):
    auth = _auth(world.outsider)
    body = {"coverage_id": params["coverage_id"], "admitted_on": "2026-05-01", "discharged_on": "2026-05-11",
            "bank_name": "x", "account_holder": "x", "account_number": "622202020011223344"}
    response = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims", body, **auth)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/mutualaid/claims", **auth).json()["count"] == 0
    assert client.get("/api/v1/mutualaid/my/claims", **auth).json() == []
    assert client.get("/api/v1/mutualaid/claimable-coverages", **auth).json() == []
    response = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims-adjudication",
                               {"claim_ids": [params["claim_id"]]}, **auth)
    assert response.status_code == 404


def test_a_colleague_does_not_see_the_workers_claim(params, cw, world, client):
    colleague = _colleague(world)
    user = core.create_account(world.admin, "colleague", "Zhigong-test-2026", person=colleague)
    auth = _auth(user)
    assert client.get(f"/api/v1/mutualaid/claims/{params['claim_id']}", **auth).status_code == 404
    assert client.get("/api/v1/mutualaid/claims", **auth).json()["count"] == 0
    assert client.get("/api/v1/mutualaid/claimable-coverages", **auth).json() == []


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in claim_routes():
        body = BODIES.get(template)
        if body and "__multipart__" in body:
            body = {"__multipart__": {"kind": "invoice", "file": setup.pdf()}}
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body)
        assert response.status_code == 401, (method, template, response.content)
        assert set(response.json()) == {"code", "message", "details"}
