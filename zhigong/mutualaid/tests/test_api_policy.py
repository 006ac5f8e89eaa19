"""Every operation of the mutual-aid API ("mutualaid" tag) with a path parameter answers 404
{code: not_found} to an outsider (a cadre of county B) for objects of county A, and 401 to
anonymous callers. Each part of the fund adds its objects to `params` and its request bodies to
BODIES; a new route without a parameter here fails api_matrix.fill."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.mutualaid import actions_contributions, actions_pools
from zhigong.mutualaid.models import Invoice, PaymentBatch, Plan, PlanVersion
from zhigong.mutualaid.tests import claims_setup, pools_setup

M = "/api/v1/mutualaid"


def _csv(text: str):
    return SimpleUploadedFile("f.csv", text.encode("utf-8"), content_type="text/csv")


BODIES = {
    # plans, pools, contributions (M1)
    f"{M}/plans/{{plan_id}}/versions": {"label": "2027年度", "effective_from": "2027-01-01"},
    f"{M}/federations/{{federation_id}}/pools": {"plan_ids": [1]},
    f"{M}/pools/{{pool_id}}/transfers": {"amount_fen": 100, "reason": "缺口"},
    f"{M}/transfers/{{transfer_id}}/refuse": {"reason": "不批准"},
    f"{M}/invoices/{{invoice_id}}/payments": {"amount_fen": 100, "paid_on": "2026-01-20"},
    f"{M}/enrolments/{{enrolment_id}}/invoices": {},
    # payments (M4)
    f"{M}/pools/{{pool_id}}/payment-batches": {},
    f"{M}/payment-batches/{{batch_id}}/return": {"__multipart__": {"file": None}},
    f"{M}/claims/{{claim_id}}/payment-account": {"bank_name": "建设银行", "account_holder": "张伟",
                                                 "account_number": "6217000010002000300"},
    # claims (M3)
    **claims_setup.API_BODIES,
    # roster (M2)
    f"{M}/roster/enterprises/{{enterprise_id}}/uploads": {"__multipart__": {"file": None, "starts_on": "2026-01-01"}},
    f"{M}/roster/uploads/{{upload_id}}/import": {"only_clean_rows": True},
    f"{M}/roster/enterprises/{{enterprise_id}}/coverages": {
        "name": "x", "id_number": "x", "employment_start": "2020-01-01", "plan": "x", "starts_on": "2026-01-01"},
    f"{M}/roster/enterprises/{{enterprise_id}}/enrol-members": {"plan_code": "x", "starts_on": "2026-01-01"},
    f"{M}/roster/coverages/{{coverage_id}}/leave": {"left_on": "2026-03-01"},
    f"{M}/roster/coverages/{{coverage_id}}/move": {"enterprise_id": 0, "left_on": "2026-03-01"},
}


@pytest.fixture
def params(world):
    fund = pools_setup.build(world)
    own = Plan.objects.create(code="xw-own", name="玄武区自办计划", kind=Plan.Kind.ACCIDENT, owner=world.county_a,
                              region_code="320102")
    PlanVersion.objects.create(plan=own, label="2026年度", effective_from=date(2026, 1, 1), text="示例", price_fen=1000)
    invoice = actions_contributions.issue_invoice(fund.treasurer, fund.enrolment, day=date(2026, 1, 5))
    transfer = actions_pools.request_transfer(fund.treasurer, fund.county, 100, "缺口")
    batch = PaymentBatch.objects.create(number="PB-TEST", pool=fund.county, created_by=fund.treasurer,
                                        region_code="320102")
    empty_return = _csv("付款流水号,金额（元）,状态,原因,日期\n")
    BODIES[f"{M}/payment-batches/{{batch_id}}/return"]["__multipart__"]["file"] = empty_return
    return {"plan_id": own.pk, "federation_id": world.county_a.pk, "pool_id": fund.county.pk,
            "transfer_id": transfer.pk, "enrolment_id": fund.enrolment.pk, "invoice_id": invoice.pk,
            "batch_id": batch.pk, **claims_setup.api_params(world), **_roster_params(world)}


def _roster_params(world) -> dict:
    """County A's enterprise, an upload of its roster and a cover of its worker (roster, M2)."""
    from zhigong.mutualaid.models import Coverage, RosterUpload
    from zhigong.mutualaid.tests.roster_fixtures import row, upload, xlsx

    found = RosterUpload.objects.create(enterprise=world.enterprise_a, uploaded_by=world.enterprise_admin,
                                        digest="0" * 64, file="mutualaid/rosters/test.xlsx", region_code="320102")
    BODIES[f"{M}/roster/enterprises/{{enterprise_id}}/uploads"]["__multipart__"]["file"] = upload(xlsx([row(1)]))
    return {"enterprise_id": world.enterprise_a.pk, "upload_id": found.pk,
            "coverage_id": Coverage.objects.filter(enterprise=world.enterprise_a).first().pk}


def _token(user) -> str:
    return core.issue_token(user, "t")[1]


def test_outsider_gets_404_on_every_object(params, world, client):
    checked = api_matrix.assert_outsider_gets_404(client, "mutualaid", params, BODIES, _token(world.outsider))
    assert checked >= 20


def test_outsider_lists_are_empty_and_statements_match_nothing(params, world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.outsider)}"}
    assert [p["federation_id"] for p in client.get(f"{M}/pools", **auth).json()] == [world.county_b.pk]
    assert client.get(f"{M}/invoices", **auth).json()["count"] == 0
    assert {p["code"] for p in client.get(f"{M}/plans", **auth).json()} == {  # national examples only
        "zgbx-zhuyuan", "cq-zhongji", "sh-tezhong", "sh-huiyuan", "np-nvzhigong"}
    invoice = Invoice.objects.get(pk=params["invoice_id"])
    statement = _csv(f"交易日期,流水号,付款人,金额（元）,附言\n2026-01-20,S1,x,1.00,{invoice.number}\n")
    response = client.post(f"{M}/contribution-statements", {"file": statement}, **auth)
    assert response.status_code == 400 and response.json()["code"] == "mutualaid.statement_rows"
    assert "不存在" in response.json()["details"]["errors"][0]["message"]


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in api_matrix.routes("mutualaid"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)
        assert set(response.json()) == {"code", "message", "details"}


def test_the_treasurer_issues_and_collects_through_the_api(params, world, client):
    from zhigong.core.models import User

    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(User.objects.get(username='treasurer_a'))}"}
    invoice = client.get(f"{M}/invoices/{params['invoice_id']}", **auth).json()
    assert invoice["total_fen"] == 24000 and "每份80.00元" in invoice["lines"][0]["explanation"]
    bad = client.post(f"{M}/invoices/{params['invoice_id']}/payments", {"amount_fen": 0, "paid_on": "2026-01-20"},
                      content_type="application/json", **auth)
    assert bad.status_code in (400, 422) and set(bad.json()) == {"code", "message", "details"}
    paid = client.post(f"{M}/invoices/{params['invoice_id']}/payments", {"amount_fen": 15100, "paid_on": "2026-01-20"},
                       content_type="application/json", **auth)
    assert paid.status_code == 201 and paid.json()["credit_fen"] == 100  # above what is owed: the enterprise's credit
    detail = client.get(f"{M}/invoices/{params['invoice_id']}", **auth).json()
    assert (detail["state"], detail["paid_fen"], detail["enterprise_credit_fen"]) == ("paid", 15000, 100)
    pool = client.get(f"{M}/pools/{params['pool_id']}", **auth).json()
    assert pool["bank_fen"] == 10500 + 70 + 6300 and pool["months"][0]["month"] == "2026-01"
    refused = client.post(f"{M}/transfers/{params['transfer_id']}/approve", **auth)
    assert refused.status_code == 403
