"""Every roster endpoint answers 404 to an outsider (a cadre of county B) for county A's
enterprise, uploads, enrolments and cover, and 401 to anonymous callers; the enterprise admin
works the whole way through the API: template, upload with errors, error report, partial
import, search, export, collective enrolment, renewal, leaving."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid.models import Coverage, Enrolment
from zhigong.mutualaid.rules_roster import HEADERS
from zhigong.mutualaid.tests.roster_fixtures import build, row, upload, xlsx

START = date(2026, 1, 1)
PREFIX = "/api/v1/mutualaid/roster/"


def roster_routes() -> list[tuple[str, str]]:
    return [(m, t) for m, t in api_matrix.routes("mutualaid") if t.startswith(PREFIX)]


def body(template: str, params: dict):
    if template.endswith("/uploads"):
        return {"__multipart__": {"file": upload(xlsx([row(1)])), "starts_on": "2026-01-01"}}
    return {
        "/import": {"only_clean_rows": True}, "/leave": {"left_on": "2026-03-01"},
        "/move": {"enterprise_id": params["enterprise_id"], "left_on": "2026-03-01"},
        "/enrol-members": {"plan_code": "t-zhongji", "starts_on": "2026-01-01"},
        "/coverages": {"name": "x", "id_number": "x", "employment_start": "2020-01-01", "plan": "t-zhongji",
                       "starts_on": "2026-01-01"},
    }.get("/" + template.rsplit("/", 1)[-1], {})


@pytest.fixture
def rw(world):
    return build(world)


@pytest.fixture
def params(rw):
    world = rw.world
    found = actions.check_roster(world.enterprise_admin, world.enterprise_a, upload(xlsx([row(1)])), START)
    actions.import_roster(world.enterprise_admin, found)
    cover = Coverage.objects.get()
    return {"enterprise_id": world.enterprise_a.pk, "upload_id": found.pk, "enrolment_id": cover.enrolment_id,
            "coverage_id": cover.pk}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def test_the_roster_routes_are_in_the_schema():
    assert len(roster_routes()) == 17


def test_outsider_gets_404_on_every_roster_object(params, world, client):
    auth = _auth(world.outsider)
    checked = 0
    for method, template in roster_routes():
        if "{" not in template:
            continue
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body(template, params), **auth)
        assert response.status_code == 404, (method, template, response.content)
        assert response.json()["code"] == "not_found"
        checked += 1
    assert checked == 16
    assert client.get(PREFIX + "my/coverages", **auth).json() == []


def test_outsider_cannot_move_cover_into_county_a(params, rw, client):
    world = rw.world
    found = actions.check_roster(world.admin, world.enterprise_b, upload(xlsx([row(2)])), START)
    assert found.error_rows == 1  # no pool in county B: nothing to move, and county A stays unseen
    response = client.post(PREFIX + f"coverages/{params['coverage_id']}/move",
                           {"enterprise_id": world.enterprise_b.pk, "left_on": "2026-03-01"},
                           content_type="application/json", **_auth(world.outsider))
    assert response.status_code == 404


def test_anonymous_gets_401_on_every_roster_route(params, client):
    for method, template in roster_routes():
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body(template, params))
        assert response.status_code == 401, (method, template, response.content)
        assert set(response.json()) == {"code", "message", "details"}


def test_auditor_reads_but_may_not_import(params, world, client):
    auth = _auth(world.auditor)
    assert client.get(PREFIX + f"enterprises/{params['enterprise_id']}/coverages", **auth).json()["count"] == 1
    response = client.post(PREFIX + f"uploads/{params['upload_id']}/import", {}, content_type="application/json",
                           **auth)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_enterprise_admin_works_through_the_api(rw, client):
    world = rw.world
    auth = _auth(world.enterprise_admin)
    base = PREFIX + f"enterprises/{world.enterprise_a.pk}"
    template = client.get(base + "/template?starts_on=2026-01-01", **auth)
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert tuple(c.value for c in book["花名册"][1]) == HEADERS
    assert "t-zhongji" in [c.value for c in book["填写说明"]["B"]]
    sent = client.post(base + "/uploads", {"file": upload(xlsx([row(1), row(2, 份数=9), row(3)])),
                                           "starts_on": "2026-01-01"}, **auth)
    assert sent.status_code == 201, sent.content
    found = sent.json()
    assert (found["rows"], found["error_rows"], found["errors"][0]["row"], found["errors"][0]["column"]) == (
        3, 1, 3, "份数")
    report = client.get(PREFIX + f"uploads/{found['id']}/errors.xlsx", **auth)
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "份数"]
    refused = client.post(PREFIX + f"uploads/{found['id']}/import", {}, content_type="application/json", **auth)
    assert refused.status_code == 400 and refused.json()["code"] == "roster.not_clean"
    assert Coverage.objects.count() == 0
    done = client.post(PREFIX + f"uploads/{found['id']}/import", {"only_clean_rows": True},
                       content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["imported_rows"] == 2
    page = client.get(base + "/coverages?q=职工3", **auth).json()
    assert page["count"] == 1 and page["items"][0]["id_masked"].count("*") == 10
    exported = client.get(base + "/coverages.xlsx", **auth)
    assert load_workbook(io.BytesIO(exported.content)).active.max_row == 3
    members = client.post(base + "/enrol-members", {"plan_code": "t-zhongji", "starts_on": "2026-01-01"},
                          content_type="application/json", **auth).json()
    assert members["written"] == 1 and members["participation"]["members"] == 1
    enrolments = client.get(base + "/enrolments", **auth).json()
    assert enrolments[0]["participation"]["rate"] == 100
    enrolment = Enrolment.objects.get()
    cover = Coverage.objects.filter(person__name="职工1").get()
    left = client.post(PREFIX + f"coverages/{cover.pk}/leave", {"left_on": "2026-03-01"},
                       content_type="application/json", **auth).json()
    assert left["left_on"] == "2026-03-01" and left["end_reason"] == "left"
    renewed = client.post(PREFIX + f"enrolments/{enrolment.pk}/renew", {}, content_type="application/json", **auth)
    assert renewed.status_code == 200 and renewed.json()["written"] == 2  # the one who left is not renewed


def test_a_bad_upload_answers_400_with_the_columns(rw, client):
    world = rw.world
    auth = _auth(world.enterprise_admin)
    data = xlsx([row(1)], header=["姓名", "身份证", "手机号", "入职日期", "月工资（元）", "保障计划", "份数"])
    response = client.post(PREFIX + f"enterprises/{world.enterprise_a.pk}/uploads",
                           {"file": upload(data), "starts_on": "2026-01-01"}, **auth)
    assert response.status_code == 400
    found = response.json()
    assert found["code"] == "roster.columns" and "身份证号" in found["message"]
    assert {i["code"] for i in found["details"]["issues"]} == {"header.unknown", "header.missing"}
