"""Every payment endpoint answers 404 to an outsider (a cadre of county B) for county A's pool
and batch, 401 to anonymous callers; the treasurer works the whole way through the API."""

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid.tests.payments_setup import approved_claim, build_fund

PAYMENT_WORDS = ("payment-batches", "payment-queue", "claim-payments", "payment-account")


def body(template: str):
    if template.endswith("/return"):
        return {"__multipart__": {"file": _upload("付款流水号,金额（元）,状态,原因,日期\r\n")}}
    if template.endswith("/payment-account"):
        return {"bank_name": "建设银行", "account_holder": "张伟", "account_number": "6217000010002000300"}
    return {}


def payment_routes() -> list[tuple[str, str]]:
    return [(m, t) for m, t in api_matrix.routes("mutualaid") if any(w in t for w in PAYMENT_WORDS)]


@pytest.fixture
def fund(world):
    return build_fund(world)


@pytest.fixture
def params(fund):
    claim = approved_claim(fund, 450000, "HZ2026-0001")
    approved_claim(fund, 2000, "HZ2026-0002")
    batch = actions.create_batch(fund.treasurer, fund.pool, expected_total_fen=452000)
    return {"pool_id": fund.pool.pk, "batch_id": batch.pk, "claim_id": claim.pk}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def test_the_payment_routes_are_in_the_schema():
    assert {t for _m, t in payment_routes()} >= {
        "/api/v1/mutualaid/pools/{pool_id}/payment-queue", "/api/v1/mutualaid/pools/{pool_id}/payment-batches",
        "/api/v1/mutualaid/payment-batches", "/api/v1/mutualaid/payment-batches/{batch_id}",
        "/api/v1/mutualaid/payment-batches/{batch_id}/export", "/api/v1/mutualaid/payment-batches/{batch_id}/voucher",
        "/api/v1/mutualaid/payment-batches/{batch_id}/return", "/api/v1/mutualaid/my/claim-payments",
        "/api/v1/mutualaid/claims/{claim_id}/payment-account"}


def test_outsider_gets_404_on_every_payment_object(params, world, client):
    token = core.issue_token(world.outsider, "t")[1]
    checked = 0
    for method, template in payment_routes():
        if "{" not in template:
            continue
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body(template),
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 404, (method, template, response.content)
        assert response.json()["code"] == "not_found"
        checked += 1
    assert checked == 7
    auth = _auth(world.outsider)
    assert client.get("/api/v1/mutualaid/payment-batches", **auth).json() == []
    assert client.get("/api/v1/mutualaid/my/claim-payments", **auth).json() == []


def test_anonymous_gets_401(params, client):
    for method, template in payment_routes():
        response = api_matrix.call(client, method, api_matrix.fill(template, params), body(template))
        assert response.status_code == 401, (method, template, response.content)


def test_a_cadre_reads_but_may_not_pay(params, world, client):
    auth = _auth(world.cadre_a)
    assert client.get(f"/api/v1/mutualaid/payment-batches/{params['batch_id']}", **auth).status_code == 200
    response = client.post(f"/api/v1/mutualaid/payment-batches/{params['batch_id']}/export?format=csv", **auth)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_treasurer_pays_through_the_api(params, fund, world, client):
    auth = _auth(fund.treasurer)
    batch_url = f"/api/v1/mutualaid/payment-batches/{params['batch_id']}"
    detail = client.get(batch_url, **auth).json()
    assert detail["count"] == 2 and detail["total_fen"] == 452000
    exported = client.post(f"{batch_url}/export?format=csv", **auth)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    refs = [p["reference"] for p in detail["payouts"]]
    bad = (f"付款流水号,金额（元）,状态,原因,日期\r\n{refs[0]},4500.00,成功,,2026-11-24\r\n"
           "NOPE-1,1.00,成功,,2026-11-24\r\n")
    response = client.post(f"{batch_url}/return", {"file": _upload(bad)}, **auth)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "payments.return_rows" and body["details"]["errors"][0]["row"] == 3
    good = (f"付款流水号,金额（元）,状态,原因,日期\r\n{refs[0]},4500.00,成功,,2026-11-24\r\n"
            f"{refs[1]},20.00,失败,账户已冻结,2026-11-24\r\n")
    report = client.post(f"{batch_url}/return", {"file": _upload(good)}, **auth).json()
    assert (report["paid"], report["failed"], report["batch"]["state"]) == (1, 1, "settled")
    mine = client.get("/api/v1/mutualaid/my/claim-payments", **_auth(world.worker)).json()
    assert {c["number"]: c["state_label"] for c in mine} == {"HZ2026-0001": "已支付", "HZ2026-0002": "支付失败，待重付"}
    queue = client.get(f"/api/v1/mutualaid/pools/{params['pool_id']}/payment-queue", **auth).json()
    assert [c["number"] for c in queue["claims"]] == ["HZ2026-0002"]
    failed_id = [c["id"] for c in mine if c["number"] == "HZ2026-0002"][0]
    corrected = client.post(f"/api/v1/mutualaid/claims/{failed_id}/payment-account", data={
        "bank_name": "建设银行南京分行", "account_holder": "张伟", "account_number": "6217 0000 1000 2000 300"},
        content_type="application/json", **_auth(world.worker))
    assert corrected.status_code == 200 and corrected.json()["account_masked"] == "6217 **** **** 0300"
    created = client.post(f"/api/v1/mutualaid/pools/{params['pool_id']}/payment-batches",
                          data={"expected_total_fen": 2000}, content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["count"] == 1


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("return.csv", text.encode("utf-8-sig"), content_type="text/csv")
