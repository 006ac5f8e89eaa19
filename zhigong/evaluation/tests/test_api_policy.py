"""Every evaluation endpoint answers 404 to an outsider (a cadre of county B) for enterprises,
federations and surveys of county A, and 401 to anonymous callers; the owners reach the reads;
bad input answers a clear 4xx that writes nothing."""

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.evaluation import actions
from zhigong.evaluation.models import PartyScore, SurveyAnswer

BODIES = {
    "/api/v1/evaluation/enterprises/{enterprise_id}/{year}/scores/{code}": {"value": 90, "note": "x"},
    "/api/v1/evaluation/surveys/{survey_id}/answers": {"ratings": {"overall": 5}},
}


@pytest.fixture
def params(ew, world):
    survey = actions.open_survey(world.cadre_a, world.enterprise_a, ew.year)
    actions.compute_evaluation(world.cadre_a, world.enterprise_a, ew.year)
    return {"enterprise_id": world.enterprise_a.pk, "year": ew.year, "code": "federation_review",
            "survey_id": survey.pk, "federation_id": world.county_a.pk}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def test_outsider_gets_404_on_every_object(params, world, client):
    token = core.issue_token(world.outsider, "t")[1]
    checked = api_matrix.assert_outsider_gets_404(client, "evaluation", params, BODIES, token)
    assert checked == 10
    assert client.get("/api/v1/evaluation/my/surveys", **_auth(world.outsider)).json() == []


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in api_matrix.routes("evaluation"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)


def test_the_owners_reach_the_reads(params, world, client):
    for user in (world.cadre_a, world.enterprise_admin):
        for method, template in api_matrix.routes("evaluation"):
            # An enterprise sees its own evaluation, not its federation's ranking.
            if user == world.enterprise_admin and "federation" in template and method == "GET":
                assert client.get(api_matrix.fill(template, params), **_auth(user)).status_code == 404
            elif method == "GET" and "{" in template:
                response = client.get(api_matrix.fill(template, params), **_auth(user))
                assert response.status_code == 200, (user, template, response.content)


def test_a_score_out_of_range_is_a_clear_400(params, world, client):
    path = api_matrix.fill("/api/v1/evaluation/enterprises/{enterprise_id}/{year}/scores/{code}", params)
    response = api_matrix.call(client, "PUT", path, {"value": 120, "note": "x"}, **_auth(world.cadre_a))
    assert response.status_code == 400
    assert response.json()["code"] == "score.range" and response.json()["details"]["field"] == "value"
    response = api_matrix.call(client, "PUT", path, {"value": "很好", "note": "x"}, **_auth(world.cadre_a))
    assert response.status_code == 422
    assert not PartyScore.objects.exists()
    response = api_matrix.call(client, "PUT", path, {"value": 91.5, "note": "程序规范"}, **_auth(world.cadre_a))
    assert response.status_code == 200 and response.json()["value_tenths"] == 915


def test_the_survey_over_the_api(params, world, client):
    path = api_matrix.fill("/api/v1/evaluation/surveys/{survey_id}/answers", params)
    mine = client.get("/api/v1/evaluation/my/surveys", **_auth(world.worker)).json()
    assert [s["id"] for s in mine] == [params["survey_id"]]
    ratings = {q["code"]: 4 for q in mine[0]["questions"]}
    worker = _auth(world.worker)
    first = api_matrix.call(client, "POST", path, {"ratings": ratings}, **worker)
    assert first.status_code == 201 and first.json()["answered_by_me"] is True
    again = api_matrix.call(client, "POST", path, {"ratings": ratings}, **worker)
    assert again.status_code == 400 and again.json()["code"] == "survey.twice"
    assert SurveyAnswer.objects.count() == 1


def test_weights_not_totalling_100_are_a_clear_400(world, client):
    body = {"year": 2026, "region_code": "", "name": "x", "bands": [[60, "合格"], [0, "不合格"]],
            "indicators": [{"code": "congress_on_time", "kind": "auto", "weight": 60}]}
    response = api_matrix.call(client, "POST", "/api/v1/evaluation/indicator-sets", body, **_auth(world.admin))
    assert response.status_code == 400 and response.json()["code"] == "indicators.weights"


def test_the_federation_view_and_its_batch(params, world, client):
    base = api_matrix.fill("/api/v1/evaluation/federations/{federation_id}/{year}", params)
    done = client.post(base + "/compute", **_auth(world.cadre_a)).json()
    assert done["enterprises"] == 3
    found = client.get(base, **_auth(world.cadre_a)).json()
    assert found["evaluated"] == 3 and [r["rank"] for r in found["ranking"]] == [1, 2, 3]
    assert found["weakest"][0]["average_permille"] <= found["weakest"][-1]["average_permille"]
