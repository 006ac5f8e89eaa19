"""The whole claim flow over the API: the worker finds their coverage and submits from a phone,
adds a document; officers see the queue and the computation; approve; the worker reads it."""

from datetime import date

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.mutualaid.tests import claims_setup as setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    return setup.build(world)


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def _body(coverage_id, **changes):
    body = {"coverage_id": coverage_id, "admitted_on": "2026-05-01", "discharged_on": "2026-05-11",
            "hospital_grade": "2", "diagnosis": "肺炎",
            "lines": [{"invoice_no": "FP9", "total_fen": 300000, "self_paid_fen": 90000}],
            "bank_name": "工商银行", "account_holder": "张伟", "account_number": "6222 0202 0011 2233 445"}
    return {**body, **changes}


def test_worker_to_approval_over_the_api(cw, world, client):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    worker = _auth(world.worker)
    found = client.get("/api/v1/mutualaid/claimable-coverages", **worker).json()
    assert [c["id"] for c in found] == [coverage.pk] and found[0]["plan_code"] == "zgbx-zhuyuan"
    response = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims", _body(coverage.pk), **worker)
    assert response.status_code == 201, response.content
    claim = response.json()
    assert (claim["state"], claim["computed_fen"], claim["channel"]) == ("submitted", 35000, "worker")
    assert "住院10天，超过3天部分按每天50元计7天，共350元。" in [s["text"] for s in claim["steps"]]
    assert claim["account_masked"] == "6222 **** **** 3445" and "account_number" not in claim
    assert claim["verbs"] == ["add_document"]
    response = client.post(f"/api/v1/mutualaid/claims/{claim['id']}/documents",
                           {"kind": "discharge", "file": setup.pdf("出院小结.pdf")}, **worker)
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"
    document = response.json()["id"]
    assert client.get(f"/api/v1/mutualaid/claims/{claim['id']}/documents/{document}", **worker).content == setup.PDF

    reviewer = _auth(cw.reviewer)
    queue = client.get("/api/v1/mutualaid/claims", **reviewer).json()
    assert queue["count"] == 1 and queue["items"][0]["number"] == claim["number"]
    detail = client.get(f"/api/v1/mutualaid/claims/{claim['id']}", **reviewer).json()
    assert set(detail["verbs"]) == {"approve", "reject", "adjudicate"}
    approved = api_matrix.call(client, "POST", f"/api/v1/mutualaid/claims/{claim['id']}/approve", {}, **reviewer)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["entry_id"] is not None
    mine = client.get("/api/v1/mutualaid/my/claims", **worker).json()
    assert [(c["state"], c["approved_fen"]) for c in mine] == [("approved", 35000)]


def test_discharge_before_admission_answers_400_with_the_field(cw, world, client):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    response = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims",
                               _body(coverage.pk, discharged_on="2026-04-30"), **_auth(world.worker))
    assert response.status_code == 400
    assert response.json() == {"code": "claim.discharge_before_admission", "message": "出院日期不能早于入院日期。",
                               "details": {"field": "discharged_on"}}
    assert client.get("/api/v1/mutualaid/my/claims", **_auth(world.worker)).json() == []


def test_reject_and_appeal_over_the_api(cw, world, client):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    claim = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims", _body(coverage.pk),
                            **_auth(world.enterprise_admin)).json()
    assert claim["channel"] == "union"
    rejected = api_matrix.call(client, "POST", f"/api/v1/mutualaid/claims/{claim['id']}/reject",
                               {"reason": "发票不清晰"}, **_auth(cw.reviewer)).json()
    assert rejected["state"] == "rejected" and rejected["reviews"][0]["reason"] == "发票不清晰"
    appealed = api_matrix.call(client, "POST", f"/api/v1/mutualaid/claims/{claim['id']}/appeal",
                               {"reason": "已重新上传"}, **_auth(world.worker))
    assert appealed.json()["state"] == "appealed"
    refused = api_matrix.call(client, "POST", f"/api/v1/mutualaid/claims/{claim['id']}/approve", {},
                              **_auth(cw.reviewer))
    assert refused.status_code == 403


def test_batch_adjudication_over_the_api(cw, world, client):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    ids = [api_matrix.call(client, "POST", "/api/v1/mutualaid/claims",
                           _body(coverage.pk, admitted_on=f"2026-0{m}-01", discharged_on=f"2026-0{m}-0{m + 1}",
                                 lines=[]), **_auth(world.worker)).json()["id"] for m in (3, 6)]
    result = api_matrix.call(client, "POST", "/api/v1/mutualaid/claims-adjudication", {"claim_ids": ids},
                             **_auth(cw.reviewer)).json()
    assert (result["adjudicated"], result["payable"], result["total_fen"]) == (2, 1, 5000 * 3)
    assert date(2026, 1, 1)  # the dates above are in the coverage year
