"""The plans, pools and contributions pages: what each persona sees, forms that keep the input
and show the Chinese message beside the field, the PDF notice, and 404 for the outsider."""

from datetime import date

import pytest

from zhigong.mutualaid import actions_contributions as contributions
from zhigong.mutualaid import ledgering
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import ContributionPayment, Invoice, Plan, PlanVersion, PoolTransfer
from zhigong.mutualaid.tests import pools_setup


@pytest.fixture
def fund(world):
    return pools_setup.build(world)


@pytest.fixture
def invoice(fund):
    return contributions.issue_invoice(fund.treasurer, fund.enrolment, day=date(2026, 1, 5))


def test_a_worker_reads_the_plans_and_their_rules(world, login):
    client = login(world.worker)
    page = client.get("/mutualaid/plans/")
    assert page.status_code == 200 and "在职职工住院津贴互助保障" in page.content.decode()
    plan = Plan.objects.get(code="zgbx-zhuyuan")
    detail = client.get(f"/mutualaid/plans/{plan.pk}/").content.decode()
    assert "超过3天的部分按每天50元" in detail and "per_day" in detail and "发布下一年度版本" not in detail


def test_the_admin_publishes_next_year_and_a_bad_date_stays_in_the_form(world, login):
    client = login(world.admin)
    plan = Plan.objects.get(code="zgbx-zhuyuan")
    bad = client.post(f"/mutualaid/plans/{plan.pk}/", {"label": "2027年度", "effective_from": "2025-01-01",
                                                       "price": "90"})
    assert bad.status_code == 400 and "新版本的起始日须晚于现行版本" in bad.content.decode()
    assert 'value="2027年度"' in bad.content.decode()
    ok = client.post(f"/mutualaid/plans/{plan.pk}/", {"label": "2027年度", "effective_from": "2027-01-01",
                                                      "price": "90"})
    assert ok.status_code == 302 and PlanVersion.objects.get(plan=plan, label="2027年度").price_fen == 9000


def test_pool_page_dashboard_and_transfer_request(fund, world, login):
    ledgering.post(world.admin, fund.county.book, date(2026, 2, 1), "缴费入账",
                   [debit(chart.BANK, 123_400), credit(chart.CONTRIBUTIONS, 123_400)])
    client = login(fund.treasurer)
    page = client.get(f"/mutualaid/pools/{fund.county.pk}/").content.decode()
    assert "¥1,234.00" in page and "fund-chart-data" in page and "申请上级资金池调拨" in page
    bad = client.post(f"/mutualaid/pools/{fund.county.pk}/transfer/", {"amount": "abc", "reason": "缺口"})
    assert bad.status_code == 400 and "金额格式不正确" in bad.content.decode()
    assert client.post(f"/mutualaid/pools/{fund.county.pk}/transfer/",
                       {"amount": "500", "reason": "缺口"}).status_code == 302
    transfer = PoolTransfer.objects.get()
    approver = login(fund.approver)
    assert "批准并划拨" in approver.get(f"/mutualaid/pools/{fund.county.pk}/").content.decode()
    approver.post(f"/mutualaid/transfers/{transfer.pk}/refuse/", {"reason": "余额不足"})
    transfer.refresh_from_db()
    assert transfer.state == PoolTransfer.State.REFUSED
    board = login(world.province_cadre).get(f"/mutualaid/federations/{world.province.pk}/dashboard/")
    assert board.status_code == 200 and fund.county.name in board.content.decode()


def test_notice_page_payment_form_and_pdf(invoice, fund, login):
    client = login(fund.treasurer)
    page = client.get(f"/mutualaid/invoices/{invoice.pk}/").content.decode()
    assert invoice.number in page and "每份80.00元" in page and "登记缴费" in page
    bad = client.post(f"/mutualaid/invoices/{invoice.pk}/payment/", {"amount": "九十九", "paid_on": "2026-01-20"})
    assert bad.status_code == 400 and 'value="九十九"' in bad.content.decode()
    assert not ContributionPayment.objects.exists()
    # A fen is the smallest unit: a third decimal is refused, never rounded into the books.
    fine = client.post(f"/mutualaid/invoices/{invoice.pk}/payment/", {"amount": "99.999", "paid_on": "2026-01-20"})
    assert fine.status_code == 400 and "金额最多保留两位小数" in fine.content.decode()
    assert 'value="99.999"' in fine.content.decode() and not ContributionPayment.objects.exists()
    client.post(f"/mutualaid/invoices/{invoice.pk}/payment/", {"amount": "150", "paid_on": "2026-01-20"})
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID
    pdf = client.get(f"/mutualaid/invoices/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_statement_page_shows_row_errors_and_writes_nothing(invoice, fund, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = f"交易日期,流水号,付款人,金额（元）,附言\n2026-01-20,S1,x,100,{invoice.number}\n2026-01-20,S1,x,1,{invoice.number}\n"
    upload = SimpleUploadedFile("s.csv", data.encode("utf-8"), content_type="text/csv")
    page = login(fund.treasurer).post("/mutualaid/invoices/statement/", {"file": upload})
    assert page.status_code == 400 and "与第2行流水号重复" in page.content.decode()
    assert not ContributionPayment.objects.exists()


def test_issue_from_the_list(fund, login):
    client = login(fund.treasurer)
    assert "开具通知单" in client.get("/mutualaid/invoices/").content.decode()
    response = client.post(f"/mutualaid/enrolments/{fund.enrolment.pk}/invoice/", {})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mutualaid/invoices/{invoice.pk}/"


def test_a_worker_sees_no_notice_and_the_outsider_gets_404(invoice, fund, world, login):
    assert invoice.number not in login(world.worker).get("/mutualaid/invoices/").content.decode()
    client = login(world.outsider)
    for url in (f"/mutualaid/invoices/{invoice.pk}/", f"/mutualaid/invoices/{invoice.pk}/pdf/",
                f"/mutualaid/pools/{fund.county.pk}/", f"/mutualaid/federations/{world.county_a.pk}/dashboard/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/mutualaid/enrolments/{fund.enrolment.pk}/invoice/", {}).status_code == 404
