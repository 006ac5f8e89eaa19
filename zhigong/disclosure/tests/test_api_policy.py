"""Every disclosure endpoint answers 404 to an outsider (a cadre of county B) for objects of
county A and 401 to anonymous callers; the owner reaches the reads; a worker reads but cannot
publish; the flow works over the API, multipart uploads included."""

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.disclosure import actions
from zhigong.disclosure.models import Publication
from zhigong.disclosure.tests.conftest import pdf, publish

BODIES = {
    "/api/v1/disclosure/enterprises/{enterprise_id}/matters": {"name": "食堂", "category": "other",
                                                               "frequency": "monthly"},
    "/api/v1/disclosure/matters/{matter_id}/department": {"department_id": None},
    "/api/v1/disclosure/enterprises/{enterprise_id}/publications": {"__multipart__": {
        "matter_id": "0", "title": "x", "text": "x", "confirm": "true", "period": "2026-Q2"}},
    "/api/v1/disclosure/publications/{publication_id}/correct": {"__multipart__": {
        "reason": "x", "title": "x", "text": "x"}},
    "/api/v1/disclosure/publications/{publication_id}/questions": {"text": "x"},
    "/api/v1/disclosure/questions/{question_id}/answer": {"answer": "x"},
}


@pytest.fixture
def params(world, dw):
    p = publish(world, dw, "pay_adjustment", "2026", files=[pdf()])
    question = actions.ask(world.worker, p, "问")
    return {"enterprise_id": world.enterprise_a.pk, "matter_id": p.matter_id, "publication_id": p.pk,
            "file_id": p.files.get().pk, "question_id": question.pk, "federation_id": world.county_a.pk}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def test_the_tag_is_covered():
    assert "disclosure" in api_matrix.COVERED_TAGS


def test_outsider_gets_404_on_every_object(params, world, client):
    token = core.issue_token(world.outsider, "t")[1]
    assert api_matrix.assert_outsider_gets_404(client, "disclosure", params, BODIES, token) >= 15
    assert client.get("/api/v1/disclosure/my/feed", **_auth(world.outsider)).json() == []
    assert client.get("/api/v1/disclosure/my/questions", **_auth(world.outsider)).json() == []


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in api_matrix.routes("disclosure"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)


def test_the_owner_reaches_the_reads(params, world, client):
    """The enterprise's admin reads its objects; the county's cadre reads the federation's figures."""
    for method, template in api_matrix.routes("disclosure"):
        if method == "GET":
            user = world.cadre_a if "federations" in template else world.enterprise_admin
            response = client.get(api_matrix.fill(template, params), **_auth(user))
            assert response.status_code == 200, (template, response.content)


def test_a_worker_reads_but_cannot_publish(params, world, client):
    auth = _auth(world.worker)
    base = f"/api/v1/disclosure/enterprises/{world.enterprise_a.pk}"
    assert client.get(f"{base}/publications", **auth).json()["count"] == 1
    refused = client.post(f"{base}/publications", data={"matter_id": params["matter_id"], "title": "x", "text": "x",
                                                       "confirm": "true", "period": "2025"}, **auth)
    assert refused.status_code in (403, 404)
    ack = client.post(f"/api/v1/disclosure/publications/{params['publication_id']}/acknowledge", **auth)
    assert ack.json() == {"acknowledged": True, "count": 1}


def test_publish_and_correct_through_the_api(params, world, client):
    auth = _auth(world.enterprise_admin)
    base = f"/api/v1/disclosure/enterprises/{world.enterprise_a.pk}"
    matter = next(m for m in client.get(f"{base}/matters", **auth).json() if m["code"] == "safety")
    data = {"matter_id": matter["id"], "title": "一季度安全", "text": "无事故", "period": "2026-Q1",
            "table": '{"columns": ["项目", "数"], "rows": [["隐患", "3"]]}'}
    refused = client.post(f"{base}/publications", data=data, **auth)
    assert refused.status_code == 400 and refused.json()["code"] == "disclosure.confirm"
    made = client.post(f"{base}/publications", data={**data, "confirm": "true", "files": [pdf()]}, **auth)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["table"]["rows"] == [["隐患", "3"]] and len(body["files"]) == 1 and body["version"] == 1
    bad = client.post(f"/api/v1/disclosure/publications/{body['id']}/correct", data={"reason": "", "title": "t",
                                                                                       "text": "x"}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "disclosure.reason_required"
    fixed = client.post(f"/api/v1/disclosure/publications/{body['id']}/correct",
                        data={"reason": "笔误", "title": "t", "text": "y"}, **auth).json()
    assert fixed["previous_id"] == body["id"] and fixed["version"] == 2
    assert client.get(f"/api/v1/disclosure/publications/{body['id']}", **auth).json()["corrected_by"] == fixed["id"]
    compliance = client.get(f"{base}/compliance?year=2026", **auth).json()
    assert compliance["year"] == 2026 and len(compliance["by_month"]) == 12
    assert Publication.objects.filter(enterprise=world.enterprise_a).count() == 3
    ranking = client.get(f"/api/v1/disclosure/federations/{world.county_a.pk}/ranking?year=2026",
                         **_auth(world.cadre_a)).json()
    assert ranking["count"] == 1 and ranking["items"][0]["enterprise_id"] == world.enterprise_a.pk
    heat = client.get(f"/api/v1/disclosure/federations/{world.county_a.pk}/heatmap?year=2026",
                      **_auth(world.cadre_a)).json()
    assert len(heat["cells"]) == 1 and len(heat["cells"][0]) == 12


def test_a_year_dates_cannot_hold_is_a_422_naming_it(params, world, client):
    """Found by the fuzzer (test_api_fuzz): GET .../calendar?year=-229 answered 500 (date(-229, 1, 1))."""
    auth = _auth(world.cadre_a)
    enterprise, county = world.enterprise_a.pk, world.county_a.pk
    for path in (f"enterprises/{enterprise}/calendar", f"enterprises/{enterprise}/compliance",
                 f"federations/{county}/ranking", f"federations/{county}/heatmap"):
        for year in (-229, 0, 9999):
            response = client.get(f"/api/v1/disclosure/{path}", {"year": year}, **auth)
            assert response.status_code == 422, (path, year, response.content)
            assert [f["path"] for f in response.json()["details"]["fields"]] == ["query.year"]
        assert client.get(f"/api/v1/disclosure/{path}", {"year": 2026}, **auth).status_code == 200
