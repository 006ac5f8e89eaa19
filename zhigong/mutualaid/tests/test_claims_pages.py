"""Claim pages: the worker's submission form and "my claims", the officer queue with filters,
flags and pages, the detail with its computation and the review forms; errors beside the field
with the input kept; outsiders get 404."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid.models import Claim
from zhigong.mutualaid.tests import claims_setup as setup
from zhigong.mutualaid.tests.test_claims_submit import _colleague

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    return setup.build(world)


def _form(coverage, **changes):
    data = {"coverage": coverage.pk, "admitted_on": "2026-05-01", "discharged_on": "2026-05-11",
            "hospital_grade": "2", "diagnosis": "肺炎", "invoice_no": "FP77", "total_cost": "3,000.00",
            "self_paid": "900", "bank_name": "工商银行南京玄武支行", "account_holder": "张伟",
            "account_number": "6222 0202 0011 2233 445"}
    return {**data, **changes}


def test_worker_submits_on_the_form_and_reads_the_computation(cw, world, login):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    client = login(world.worker)
    page = client.get("/mutualaid/claims/new/")
    assert page.status_code == 200 and "住院津贴互助保障 · 张伟" in page.content.decode()
    response = client.post("/mutualaid/claims/new/", {**_form(coverage), "invoice_file": setup.pdf()})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mutualaid/claims/{claim.pk}/"
    assert (claim.total_cost_fen, claim.self_paid_fen, claim.invoice_no) == (300000, 90000, "FP77")
    detail = client.get(response["Location"]).content.decode()
    assert "住院10天，超过3天部分按每天50元计7天，共350元。" in detail
    assert "6222 **** **** 3445" in detail and "6222020200112233445" not in detail
    mine = client.get("/mutualaid/claims/").content.decode()
    assert claim.number in mine and "已提交" in mine


def test_discharge_before_admission_shows_beside_the_field_and_keeps_the_input(cw, world, login):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    response = login(world.worker).post("/mutualaid/claims/new/", _form(coverage, discharged_on="2026-04-30"))
    html = response.content.decode()
    assert response.status_code == 400
    errors = html.split('id="id_discharged_on_errors"')[1].split("</div>")[0]
    assert "出院日期不能早于入院日期。" in errors
    assert 'value="2026-04-30"' in html and 'value="工商银行南京玄武支行"' in html
    assert not Claim.objects.exists()


def test_a_worker_without_coverage_is_told_whom_to_ask(world, login):
    page = login(world.worker).get("/mutualaid/claims/new/")
    assert "您没有可以申请互助金的保障" in page.content.decode()


def test_queue_filters_flags_overdue_and_pages(cw, world, login):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    first = actions.submit_claim(world.worker, setup.stay(coverage, setup.date(2026, 3, 1), 10, invoice="FP1"))
    for n in range(21):
        actions.submit_claim(world.worker, setup.stay(coverage, setup.date(2026, 4, 1) + timedelta(days=n * 2), 1))
    Claim.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(days=1))
    client = login(cw.reviewer)
    page1 = client.get("/mutualaid/claims/queue/").content.decode()
    assert "共 22 件" in page1 and "第 1 / 2 页" in page1
    assert first.number in page1 and "已超期" in page1
    overdue = client.get("/mutualaid/claims/queue/?overdue=on").content.decode()
    assert "共 1 件" in overdue
    flagged = client.get("/mutualaid/claims/queue/?flagged=on&page=2").content.decode()
    assert "可能重复申请" in flagged or "尚未上传任何材料" in flagged
    assert "共 22 件" in flagged  # every one of these has no documents
    assert client.get("/mutualaid/claims/queue/?page=2").status_code == 200


def test_review_forms(cw, world, login):
    claim = actions.submit_claim(world.worker, setup.stay(setup.cover(cw, "zgbx-zhuyuan"), setup.date(2026, 5, 1), 10))
    client = login(cw.reviewer)
    refused = client.post(f"/mutualaid/claims/{claim.pk}/decide/", {"decision": "reject", "reason": ""})
    assert refused.status_code == 400
    assert "此项必填。" in refused.content.decode().split('id="id_reason_errors"')[1].split("</div>")[0]
    done = client.post(f"/mutualaid/claims/{claim.pk}/decide/", {"decision": "approve"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "approved"
    assert "已核准" in login(world.worker).get("/mutualaid/claims/").content.decode()


def test_appeal_and_documents_on_the_page(cw, world, login):
    claim = actions.submit_claim(world.worker, setup.stay(setup.cover(cw, "zgbx-zhuyuan"), setup.date(2026, 5, 1), 10))
    worker = login(world.worker)
    added = worker.post(f"/mutualaid/claims/{claim.pk}/documents/", {"kind": "discharge", "file": setup.pdf()})
    assert added.status_code == 302
    document = claim.documents.get()
    download = worker.get(f"/mutualaid/claims/{claim.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == setup.PDF
    actions.reject_claim(cw.reviewer, claim, "住院日期与病历不符")
    page = worker.get(f"/mutualaid/claims/{claim.pk}/").content.decode()
    assert "住院日期与病历不符" in page and "提交申诉" in page
    assert worker.post(f"/mutualaid/claims/{claim.pk}/appeal/", {"reason": "病历已更正"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == "appealed"


def test_outsiders_and_colleagues_get_404(cw, world, login, client):
    claim = actions.submit_claim(world.worker, setup.stay(setup.cover(cw, "zgbx-zhuyuan"), setup.date(2026, 5, 1), 10),
                                 [("invoice", setup.pdf())])
    document = claim.documents.get()
    from zhigong.core import actions as core

    colleague = core.create_account(world.admin, "colleague", "Zhigong-test-2026", person=_colleague(world))
    for user in (world.outsider, colleague):
        c = login(user)
        assert c.get(f"/mutualaid/claims/{claim.pk}/").status_code == 404
        assert c.get(f"/mutualaid/claims/{claim.pk}/documents/{document.pk}/").status_code == 404
        assert c.post(f"/mutualaid/claims/{claim.pk}/decide/", {"decision": "approve"}).status_code == 404
        assert claim.number not in c.get("/mutualaid/claims/queue/").content.decode()
    claim.refresh_from_db()
    assert claim.state == "submitted"


def test_the_computation_reads_in_english(cw, world, login):
    claim = actions.submit_claim(world.worker, setup.stay(setup.cover(cw, "zgbx-zhuyuan"), setup.date(2026, 5, 1), 10))
    client = login(world.worker)
    # The locale middleware leaves the language it activated on this thread: put Chinese back.
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "en"
        page = client.get(f"/mutualaid/claims/{claim.pk}/").content.decode()
    assert "A stay of 10 days: the 7 days beyond 3 at 50 yuan a day, 350 yuan." in page
    assert "Amount payable: 350 yuan." in page
