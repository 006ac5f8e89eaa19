"""Every workers'-voice endpoint answers 404 to an outsider (a cadre of county B) for objects of
county A and 401 to anonymous callers. The suggestion box's sender endpoints are public: they
work without an account, and a wrong box gives 404."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.participation import actions
from zhigong.participation.tests.conftest import draft

BODIES = {
    "/api/v1/voice/proposals/{proposal_id}": {"title": "x", "cause": "x", "measures": "x", "category": "wages"},
    "/api/v1/voice/proposals/{proposal_id}/convert": {"reason": "x"},
    "/api/v1/voice/proposals/{proposal_id}/reopen": {"reason": "x"},
    "/api/v1/voice/proposals/{proposal_id}/merge": {"into_id": 1},
    "/api/v1/voice/proposals/{proposal_id}/assign": {"lead_department_id": 1},
    "/api/v1/voice/proposals/{proposal_id}/answer": {"answer": "x", "planned_measures": "x"},
    "/api/v1/voice/proposals/{proposal_id}/progress": {"percent": 10, "note": "x"},
    "/api/v1/voice/proposals/{proposal_id}/rate": {"rating": "satisfied"},
    "/api/v1/voice/sessions/{session_id}/proposal-window": {"opens_on": "2026-01-01", "closes_on": "2026-02-01"},
    "/api/v1/voice/suggestions/{suggestion_id}/decide": {"adopt": True},
    "/api/v1/voice/suggestions/{suggestion_id}/implement": {"amount_fen": 1},
    "/api/v1/voice/suggestions/{suggestion_id}/reward": {"amount_fen": 1},
    "/api/v1/voice/enterprises/{enterprise_id}/box": {"answer_days": 10},
    "/api/v1/voice/box-messages/{message_id}/answer": {"answer": "x"},
    "/api/v1/voice/proposals": {"session_id": 0, "title": "x", "cause": "x", "measures": "x", "category": "wages"},
    "/api/v1/voice/proposals/similar": {"congress_id": 0, "text": "高温津贴"},
    "/api/v1/voice/suggestions": {"enterprise_id": 0, "team": "x", "title": "x", "content": "x", "topic": "cost"},
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def params(vw, world):
    proposal = draft(vw)
    actions.submit(vw.cw.users[0], proposal)
    suggestion = actions.submit_suggestion(world.worker, world.enterprise_a, "二班", "建议", "内容", "cost")
    box = actions.open_box(world.enterprise_admin, world.enterprise_a)
    message, code = actions.drop_message(box, "意见", "other", True, [], "10.0.0.1")
    return {"proposal_id": proposal.pk, "congress_id": vw.cw.congress.pk, "session_id": vw.cw.session.pk,
            "suggestion_id": suggestion.pk, "enterprise_id": world.enterprise_a.pk, "message_id": message.pk,
            "slug": box.slug, "code": code}


def _token(user) -> str:
    return core.issue_token(user, "t")[1]


def test_outsider_gets_404_on_every_object(params, world, client):
    checked = api_matrix.assert_outsider_gets_404(client, "participation", params, BODIES, _token(world.outsider))
    assert checked >= 24


def test_outsider_cannot_reach_county_a_through_a_body_either(params, world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.outsider)}"}
    for path, key, value in (("/api/v1/voice/proposals", "session_id", params["session_id"]),
                             ("/api/v1/voice/proposals/similar", "congress_id", params["congress_id"]),
                             ("/api/v1/voice/suggestions", "enterprise_id", params["enterprise_id"])):
        response = api_matrix.call(client, "POST", path, {**BODIES[path], key: value}, **auth)
        assert response.status_code == 404, (path, response.content)
    assert client.get("/api/v1/voice/proposals", **auth).json()["count"] == 0
    assert client.get("/api/v1/voice/my/department-queue", **auth).json() == []


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in api_matrix.routes("participation"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)
        assert set(response.json()) == {"code", "message", "details"}


def test_the_owner_reaches_the_reads(params, world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.enterprise_admin)}"}
    for method, template in api_matrix.routes("participation"):
        if method == "GET" and "{" in template:
            response = client.get(api_matrix.fill(template, params), **auth)
            assert response.status_code == 200, (template, response.content)


# --- The public box ----------------------------------------------------------------------------

def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


BOX_CALLS = {
    ("POST", "/api/v1/box/{slug}/messages"): lambda p: {"text": "食堂太挤", "category": "welfare"},
    ("POST", "/api/v1/box/{slug}/messages-with-photos"): lambda p: {"__multipart__": {
        "text": "地面湿滑", "category": "safety", "photos": [_photo()]}},
    ("GET", "/api/v1/box/{slug}/answers"): lambda p: None,
    ("POST", "/api/v1/box/thread"): lambda p: {"code": p["code"]},
    ("POST", "/api/v1/box/thread/reply"): lambda p: {"code": p["code"], "text": "补充一句"},
}


def test_every_box_operation_is_covered_here():
    assert set(api_matrix.routes("box")) == set(BOX_CALLS)


def test_the_box_works_without_an_account(params, client):
    for (method, template), body in BOX_CALLS.items():
        response = api_matrix.call(client, method, api_matrix.fill(template, {"slug": params["slug"]}), body(params))
        assert response.status_code in (200, 201), (template, response.content)
    answered = client.generic("POST", "/api/v1/box/thread", data=f'{{"code": "{params["code"]}"}}',
                              content_type="application/json").json()
    assert [r["text"] for r in answered["replies"]] == ["补充一句"]


def test_a_wrong_slug_gives_404(params, client):
    for (method, template), body in BOX_CALLS.items():
        if "{slug}" not in template:
            continue
        response = api_matrix.call(client, method, api_matrix.fill(template, {"slug": "nosuchbox123"}), body(params))
        assert response.status_code == 404, (template, response.content)
        assert response.json()["code"] == "not_found"


def test_a_wrong_code_is_refused_clearly(params, client):
    response = api_matrix.call(client, "POST", "/api/v1/box/thread", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 400 and response.json()["code"] == "box.unknown_code"


def test_a_search_by_a_congress_id_beyond_64_bits_is_a_422_naming_it(params, world, client):
    """Found by the fuzzer (test_api_fuzz): GET /voice/proposals?congress_id=-6677338018717234102272
    reached the database and answered 500."""
    token = core.issue_token(world.enterprise_admin, "t")[1]
    response = client.get("/api/v1/voice/proposals", {"congress_id": "-6677338018717234102272"},
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation"
    assert [f["path"] for f in response.json()["details"]["fields"]] == ["query.congress_id"]


def test_a_box_message_with_a_nul_character_is_a_422_naming_it(params, client):
    """Found by the fuzzer (test_api_fuzz) on PostgreSQL, whose text cannot hold NUL: a message
    "Y\\x00B" answered 500 there (and was stored on SQLite)."""
    from zhigong.participation.models import BoxMessage

    before = BoxMessage.objects.count()
    response = api_matrix.call(client, "POST", f"/api/v1/box/{params['slug']}/messages",
                               {"text": "食堂\x00太挤", "category": "welfare"})
    assert response.status_code == 422, response.content
    assert [f["path"] for f in response.json()["details"]["fields"]] == ["text"]
    assert BoxMessage.objects.count() == before
