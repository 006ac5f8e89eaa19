"""Every tracking endpoint answers 404 to an outsider (a cadre of county B) for objects of
county A, and 401 to anonymous callers; a worker of the enterprise reads but does not change."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.participation import actions as voice
from zhigong.participation.tests.conftest import draft
from zhigong.tracking import actions
from zhigong.tracking.tests.conftest import measures

BODIES = {
    "/api/v1/tracking/resolutions/{resolution_id}/plan": {"due_on": "2030-01-01"},
    "/api/v1/tracking/resolutions/{resolution_id}/measures": {"title": "x", "weight": 1, "due_on": "2030-01-01"},
    "/api/v1/tracking/measures/{measure_id}/progress": {"percent": 10, "note": "x"},
    "/api/v1/tracking/entries/{entry_id}/evidence": {"__multipart__": {
        "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}},
    "/api/v1/tracking/enterprises/{enterprise_id}/import": {"__multipart__": {
        "file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04")}},
    "/api/v1/tracking/enterprises/{enterprise_id}/proposals-import": {"__multipart__": {
        "file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04")}},
}


def params(tw, world) -> dict:
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    entry = actions.report_progress(tw.chair, m, 10, "开工")
    proposal = draft(tw.vw)
    voice.submit(tw.vw.cw.users[0], proposal)
    voice.start_review(tw.vw.cw.users[25], proposal)
    voice.accept(tw.vw.cw.users[25], proposal)
    return {"resolution_id": tw.passed.pk, "proposal_id": proposal.pk, "enterprise_id": world.enterprise_a.pk,
            "measure_id": m.pk, "entry_id": entry.pk}


def _token(user) -> str:
    return core.issue_token(user, "t")[1]


def test_outsider_gets_404_on_every_object(tw, world, client):
    checked = api_matrix.assert_outsider_gets_404(client, "tracking", params(tw, world), BODIES,
                                                  _token(world.outsider))
    assert checked == 13   # with the proposals' template and import


def test_anonymous_gets_401(tw, world, client):
    filled = params(tw, world)
    for method, template in api_matrix.routes("tracking"):
        response = api_matrix.call(client, method, api_matrix.fill(template, filled), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)


def test_a_worker_reads_but_does_not_change(tw, world, client):
    filled = params(tw, world)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.worker)}"}
    assert client.get(f"/api/v1/tracking/resolutions/{filled['resolution_id']}", **auth).status_code == 200
    assert client.get(f"/api/v1/tracking/enterprises/{filled['enterprise_id']}/overview", **auth).status_code == 200
    response = api_matrix.call(client, "POST", f"/api/v1/tracking/measures/{filled['measure_id']}/progress",
                               {"percent": 50, "note": "x"}, **auth)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = client.get(f"/api/v1/tracking/enterprises/{filled['enterprise_id']}/template.xlsx", **auth)
    assert response.status_code == 403
    response = client.get(f"/api/v1/tracking/enterprises/{filled['enterprise_id']}/proposals-template.xlsx", **auth)
    assert response.status_code == 403
    path = f"/api/v1/tracking/enterprises/{filled['enterprise_id']}/proposals-import"
    upload = {"__multipart__": {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04")}}
    response = api_matrix.call(client, "POST", path, upload, **auth)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
