"""Every congress endpoint answers 404 to an outsider (a cadre of county B) for objects of
county A, and 401 to anonymous callers; the owners reach the reads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.democracy import actions
from zhigong.democracy.tests.conftest import start

BODIES = {
    "/api/v1/congress/congresses/{congress_id}/terms": {"number": 2, "start_date": "2030-01-01",
                                                        "end_date": "2034-12-31", "workers": 10, "women_workers": 1},
    "/api/v1/congress/terms/{term_id}/constituencies": {"name": "x", "kind": "team", "workers": 1},
    "/api/v1/congress/constituencies/{constituency_id}/delegates": {"person_id": 1, "elected_on": "2026-01-01",
                                                                    "votes_for": 1, "voters": 1},
    "/api/v1/congress/delegates/{delegate_id}/recall": {"votes_for_recall": 1, "on": "2026-01-01"},
    "/api/v1/congress/delegates/{delegate_id}/by-election": {"person_id": 1, "elected_on": "2026-01-01",
                                                             "votes_for": 1, "voters": 1},
    "/api/v1/congress/terms/{term_id}/committees": {"kind": "proposal", "name": "x", "delegate_ids": []},
    "/api/v1/congress/terms/{term_id}/interim-requests": {"by": "union", "reason": "x"},
    "/api/v1/congress/terms/{term_id}/sessions": {"starts_at": "2026-12-01T09:00:00+08:00"},
    "/api/v1/congress/sessions/{session_id}/check-in": {"code": "1"},
    "/api/v1/congress/sessions/{session_id}/attendees": {"name": "x"},
    "/api/v1/congress/sessions/{session_id}/items": {"title": "x", "kind": "approve"},
    "/api/v1/congress/items/{item_id}/candidates": {"person_id": 1},
    "/api/v1/congress/items/{item_id}/ballots": {"content": {"choice": "yes"}},
    "/api/v1/congress/items/{item_id}/advise": {"summary": "x"},
    "/api/v1/congress/sessions/{session_id}/documents": {"__multipart__": {
        "title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", "application/pdf")}},
    "/api/v1/congress/enterprises/{enterprise_id}/governance": {"company_form": "llc", "has_supervisory_board": False},
}


@pytest.fixture
def params(cw, world):
    start(cw, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    item = cw.session.items.get()
    actions.open_voting(cw.chair, item)
    for user in cw.users[:25]:
        actions.cast_ballot(user, item, {"choice": "yes"})
    actions.close_voting(cw.chair, item)
    item.refresh_from_db()
    return {
        "congress_id": cw.congress.pk, "term_id": cw.term.pk, "constituency_id": cw.constituencies[0].pk,
        "delegate_id": cw.delegates[0].pk, "session_id": cw.session.pk, "item_id": item.pk,
        "resolution_id": item.resolution.pk, "enterprise_id": world.enterprise_a.pk,
    }


def _token(user):
    return core.issue_token(user, "t")[1]


def test_outsider_gets_404_everywhere(params, world, client):
    checked = api_matrix.assert_outsider_gets_404(client, "congress", params, BODIES, _token(world.outsider))
    assert checked >= 30


def test_anonymous_gets_401(params, client):
    for method, template in api_matrix.routes("congress"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template)


def test_a_worker_of_the_enterprise_reads_but_cannot_run_it(params, world, client):
    token = _token(world.worker)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for method, template in api_matrix.routes("congress"):
        if method == "GET" and "{" in template:
            response = client.get(api_matrix.fill(template, params), **auth)
            assert response.status_code == 200, (template, response.content)
    response = api_matrix.call(client, "POST", f"/api/v1/congress/sessions/{params['session_id']}/close", **auth)
    assert response.status_code == 403


def test_outsider_list_is_empty(params, world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.outsider)}"}
    assert client.get("/api/v1/congress/congresses", **auth).json() == []
    assert client.get("/api/v1/congress/resolutions", **auth).json() == []
