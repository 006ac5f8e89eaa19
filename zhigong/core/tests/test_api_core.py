"""Core API behaviour: writes through actions, errors as {code, message, details}, tokens."""

import json
from datetime import date

import pytest

from zhigong.core import actions
from zhigong.core.identifiers import credit_code, id_number
from zhigong.core.models import Organization, Person
from zhigong.trail.models import Event


@pytest.fixture
def as_user(client):
    def _as(user):
        _token, raw = actions.issue_token(user, "test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def call(method, path, body=None):
            return client.generic(method, "/api/v1" + path, data=json.dumps(body) if body is not None else "",
                                  content_type="application/json", **auth)
        return call
    return _as


def test_cadre_creates_an_enterprise_with_a_trail_event(world, as_user):
    api = as_user(world.cadre_a)
    before = Event.objects.count()
    response = api("POST", "/organizations", {
        "kind": "enterprise", "parent_id": world.county_a.pk, "name": "玄武食品有限公司",
        "credit_code": credit_code("320102", 777), "employee_count": 80,
    })
    assert response.status_code == 201, response.content
    org = Organization.objects.get(pk=response.json()["id"])
    assert org.path == f"{world.county_a.path}{org.pk}/"
    assert org.region_id == "320102"
    assert Event.objects.filter(verb="organization.create", object_id=str(org.pk)).exists()
    assert Event.objects.count() == before + 1


def test_bad_credit_code_is_a_clear_error_and_writes_nothing(world, as_user):
    api = as_user(world.cadre_a)
    good = credit_code("320102", 778)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    count = Organization.objects.count()
    response = api("POST", "/organizations", {"kind": "enterprise", "parent_id": world.county_a.pk,
                                              "name": "坏代码公司", "credit_code": bad})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "credit_code.checksum"
    assert body["details"]["field"] == "credit_code"
    assert "校验位" in body["message"]
    assert Organization.objects.count() == count


def test_validation_failure_is_422_with_field_path(world, as_user):
    api = as_user(world.cadre_a)
    response = api("POST", "/organizations", {"kind": "enterprise", "parent_id": "abc", "employee_count": -3})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation"
    paths = {f["path"] for f in body["details"]["fields"]}
    assert {"parent_id", "name", "employee_count"} <= paths


def test_malformed_json_is_not_a_500(world, as_user, client):
    _token, raw = actions.issue_token(world.cadre_a, "raw")
    response = client.post("/api/v1/organizations", data="{not json", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert 400 <= response.status_code < 500


def test_a_method_the_path_lacks_is_a_json_405(world, as_user):
    """Found by the fuzzer (test_api_fuzz): ninja answered PUT /organizations with a bare text
    'Method not allowed'."""
    response = as_user(world.cadre_a)("PUT", "/organizations", {})
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "该地址不支持这种请求方式。",
                               "details": {"allowed": ["GET", "POST"]}}
    assert response["Allow"] == "GET, POST"


def test_auditor_may_read_but_not_write(world, as_user):
    api = as_user(world.auditor)
    assert api("GET", f"/organizations/{world.enterprise_a.pk}").status_code == 200
    response = api("PATCH", f"/organizations/{world.enterprise_a.pk}", {"name": "改名"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name == "玄武机械有限公司"


def test_enterprise_admin_registers_and_employs_a_person(world, as_user):
    api = as_user(world.enterprise_admin)
    number = id_number("320102", date(1995, 1, 2), 33, male=False)
    response = api("POST", "/people", {"organization_id": world.enterprise_a.pk, "name": "王芳",
                                       "id_number": number, "mobile": "13700001111"})
    assert response.status_code == 201, response.content
    person = response.json()
    assert person["id_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert person["sex"] == "F" and person["birth_date"] == "1995-01-02"
    stored = Person.objects.get(pk=person["id"])
    assert number.encode() not in bytes(stored.id_number_encrypted)
    job = api("POST", f"/people/{person['id']}/employments", {
        "enterprise_id": world.enterprise_a.pk, "start_date": "2026-01-05",
        "form": "dispatched", "monthly_wage_fen": 480000,
    })
    assert job.status_code == 201
    again = api("POST", "/people", {"organization_id": world.enterprise_a.pk, "name": "王芳",
                                    "id_number": number})
    assert again.status_code == 400 and again.json()["code"] == "id_number.taken"


@pytest.mark.parametrize("number,code", [
    ("11010519491231002", "id_number.length"),
    ("110105194912310021", "id_number.checksum"),
    ("110105194902300028", "id_number.birth_date"),
    ("99010519491231002X", "id_number.region"),
])
def test_bad_id_numbers_are_refused(world, as_user, number, code):
    if code == "id_number.birth_date":
        from stdnum.cn import ric
        number = number[:17] + ric.calc_check_digit(number)
    if code == "id_number.region":
        from stdnum.cn import ric
        number = number[:17] + ric.calc_check_digit(number)
    response = as_user(world.cadre_a)("POST", "/people", {
        "organization_id": world.enterprise_a.pk, "name": "某某", "id_number": number})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["details"]["field"] == "id_number"


def test_reveal_id_number_needs_the_permission_and_is_trailed(world, as_user):
    path = f"/people/{world.worker_person.pk}/reveal-id-number"
    refused = as_user(world.auditor)("POST", path)
    assert refused.status_code == 403
    shown = as_user(world.cadre_a)("POST", path)
    assert shown.status_code == 200
    assert shown.json()["id_number"].endswith(world.worker_person.id_masked[-4:])
    assert Event.objects.filter(verb="person.reveal_id_number",
                                actor_id=world.cadre_a.pk).count() == 1


def test_move_subtree_keeps_paths_and_counts(world, as_user):
    api = as_user(world.province_cadre)
    response = api("POST", f"/organizations/{world.enterprise_a.pk}/move", {"parent_id": world.county_b.pk})
    assert response.status_code == 200, response.content
    world.union_a.refresh_from_db()
    world.worker_person.refresh_from_db()
    assert world.union_a.path.startswith(world.county_b.path)
    assert world.worker_person.scope_path.startswith(world.county_b.path)
    for org, count in ((world.county_a, 0), (world.county_b, 2), (world.province, 2)):
        org.refresh_from_db()
        assert org.member_count == count, org
    cycle = api("POST", f"/organizations/{world.city.pk}/move", {"parent_id": world.county_b.pk})
    assert cycle.status_code == 400 and cycle.json()["code"] == "move.cycle"


def test_transfer_membership_moves_the_count(world, as_user):
    api = as_user(world.province_cadre)
    member = world.worker_person.memberships.get()
    response = api("POST", f"/memberships/{member.pk}/transfer",
                   {"union_id": world.union_b.pk, "on": "2026-06-01"})
    assert response.status_code == 201, response.content
    assert response.json()["transferred_from_id"] == member.pk
    world.county_a.refresh_from_db()
    world.county_b.refresh_from_db()
    assert (world.county_a.member_count, world.county_b.member_count) == (0, 2)


def test_tokens_issue_list_revoke(world, client):
    client.force_login(world.worker, backend="zhigong.core.auth.UsernameOrMobileBackend")
    issued = client.post("/api/v1/tokens", data=json.dumps({"name": "我的手机"}),
                         content_type="application/json")
    assert issued.status_code == 201
    raw = issued.json()["token"]
    client.logout()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["person"]["name"] == "张伟"
    listed = client.get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [t["name"] for t in listed] == ["我的手机"] and "token" not in listed[0]
    revoked = client.delete(f"/api/v1/tokens/{issued.json()['id']}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_token_use_is_recorded_to_the_minute(world, client):
    """The token's last use is written on the first call and again only after a minute: API
    calls (ballots) do not each pay for a write. Outside a test transaction, so PostgreSQL
    takes the one-round-trip path (core.queries.TOKEN_TOUCH_SQL) as in production."""
    from datetime import timedelta

    from django.utils import timezone

    from zhigong.core.models import ApiToken

    token, raw = actions.issue_token(world.worker, "phone")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(seconds=1)


def test_healthz(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_openapi_schema_is_served(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organizations" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
