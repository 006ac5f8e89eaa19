"""The mutual-aid fund end to end in a real browser (Debian's Chromium through Playwright): the
enterprise union uploads a roster with mistakes, reads the report, fixes the file and imports
it; the worker claims on a 360-px phone; the enterprise union and the county reviewer approve;
the treasurer makes a batch after confirming it, exports the bank file, reads the voucher,
imports the bank's return file (first one naming an unknown payment: refused with the row and
column, nothing written) and the worker sees "已支付" on the phone. Screenshots go to
var/screenshots/mutualaid-*.png (desktop 1280 px, phone 360 px)."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from zhigong.conftest import PASSWORD, PHONE
from zhigong.core import actions as core
from zhigong.core import bankfiles
from zhigong.core.identifiers import id_number
from zhigong.core.models import Role
from zhigong.env import VAR_DIR
from zhigong.mutualaid import rules_roster
from zhigong.mutualaid.models import Claim, Coverage, PaymentBatch
from zhigong.mutualaid.tests import claims_setup
from zhigong.mutualaid.tests.test_claims_browser import PNG, click_and_wait, open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = VAR_DIR / "screenshots"
ACCOUNT = "6222020200112233445"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"mutualaid-{name}.png"), full_page=True)


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 360-px phone"


def roster_xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.title = "花名册"
    book.active.append(list(rules_roster.HEADERS))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_step(browser, live_server, world) -> None:
    """The enterprise union uploads a roster with two mistakes, reads the report, uploads the
    corrected file and imports it: the worker is covered from 1 January."""
    from playwright.sync_api import expect

    number = core.reveal_number(world.worker_person)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    other = id_number("320102", date(1990, 5, 6), 303, male=False)
    bad = [["张伟", wrong, "13812345678", "2015-07-01", "6500.00", "zgbx-zhuyuan", 1],
           ["王芳", other, "13912340000", "2019/13/45", "5200.00", "zgbx-zhuyuan", 1]]
    good = [["张伟", number, "13812345678", "2015-07-01", "6500.00", "zgbx-zhuyuan", 1],
            ["王芳", other, "13912340000", "2019-03-01", "5200.00", "zgbx-zhuyuan", 1]]
    page = open_as(browser, live_server, world.enterprise_admin)
    for rows, name in ((bad, "花名册.xlsx"), (good, "花名册（改正）.xlsx")):
        page.goto(f"{live_server.url}/mutualaid/roster/enterprises/{world.enterprise_a.pk}/upload/")
        page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": roster_xlsx(rows)}])
        page.fill("#id_starts_on", "2026-01-01")
        click_and_wait(page, "text=上传并校验")
        if rows is bad:
            expect(page.locator("table")).to_contain_text("身份证号")
            expect(page.locator("table")).to_contain_text("入职日期")
            shot(page, "roster-report-desktop")
    expect(page.locator("body")).to_contain_text("全部行校验通过")
    click_and_wait(page, "text=确认导入2行")
    expect(page.locator(".messages")).to_contain_text("花名册已导入")
    shot(page, "roster-imported-desktop")
    page.context.close()


def claim_on_the_phone(phone, live_server) -> Claim:
    from playwright.sync_api import expect

    phone.goto(f"{live_server.url}/mutualaid/claims/")
    click_and_wait(phone, "text=申请互助金")
    phone.fill("#id_admitted_on", "2026-05-01")
    phone.fill("#id_discharged_on", "2026-05-11")
    phone.select_option("#id_hospital_grade", "2")
    phone.fill("#id_diagnosis", "社区获得性肺炎")
    phone.fill("#id_invoice_no", "FP2026050011")
    phone.fill("#id_total_cost", "3,280.50")
    phone.fill("#id_self_paid", "960")
    phone.fill("#id_bank_name", "工商银行南京玄武支行")
    phone.fill("#id_account_holder", "张伟")
    phone.fill("#id_account_number", ACCOUNT)
    phone.set_input_files("#id_invoice_file", files=[{"name": "发票.png", "mimeType": "image/png", "buffer": PNG}])
    fits_the_phone(phone)
    shot(phone, "claim-form-phone")
    click_and_wait(phone, "form.claim-form button[type=submit]")
    expect(phone.locator("ol.steps")).to_contain_text("共350元")
    return Claim.objects.get()


def review(page, live_server, claim: Claim, expected: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/mutualaid/claims/{claim.pk}/")
    page.check("input[name=decision][value=approve]")
    click_and_wait(page, "text=提交审核意见")
    expect(page.locator(".page-head")).to_contain_text(expected)


def return_file(batch: PaymentBatch, unknown: bool = False) -> bytes:
    rows = [(p.reference, p.amount_fen, True, "", date(2026, 11, 24)) for p in batch.payouts.order_by("pk")]
    if unknown:
        rows.append(("ZF20260101-NOSUCH-0001", 35000, True, "", date(2026, 11, 24)))
    return bankfiles.return_template_csv(rows)


def test_roster_to_paid_claim(world, live_server, browser):
    from playwright.sync_api import expect

    cw = claims_setup.build(world)
    treasurer = core.create_account(world.admin, "treasurer_a", PASSWORD)
    core.grant_role(world.admin, treasurer, Role.TREASURER, world.county_a)
    roster_step(browser, live_server, world)
    assert Coverage.objects.filter(person=world.worker_person, version__plan__code="zgbx-zhuyuan").exists()

    phone = open_as(browser, live_server, world.worker, PHONE)
    claim = claim_on_the_phone(phone, live_server)

    union = open_as(browser, live_server, world.enterprise_admin)
    review(union, live_server, claim, "初审通过")
    reviewer = open_as(browser, live_server, cw.reviewer)
    review(reviewer, live_server, claim, "已核准")
    shot(reviewer, "claim-approved-desktop")

    desk = open_as(browser, live_server, treasurer)
    desk.goto(f"{live_server.url}/mutualaid/payments/")
    click_and_wait(desk, f"text={cw.county_pool.name}")
    expect(desk.locator("table.queue")).to_contain_text(claim.number)
    shot(desk, "payments-queue-desktop")
    click_and_wait(desk, "text=生成支付批次…")
    expect(desk.locator(".stats")).to_contain_text("¥350.00")
    click_and_wait(desk, "form.card button[type=submit]")  # without the confirmation box
    expect(desk.locator("form.card")).to_contain_text("请勾选确认。")
    assert not PaymentBatch.objects.exists()
    shot(desk, "payments-confirm-refused-desktop")
    desk.check("#id_confirm")
    click_and_wait(desk, "form.card button[type=submit]")
    expect(desk.locator(".messages")).to_contain_text("已生成，共1笔")
    batch = PaymentBatch.objects.get()

    with desk.expect_download() as download:
        desk.click("text=导出银行批量付款文件（xlsx）")
    assert download.value.suggested_filename == f"{batch.number}.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert list(sheet.iter_rows(values_only=True))[1][1:6] == (
        f"{batch.number}-0001", "张伟", ACCOUNT, "工商银行南京玄武支行", 350)
    voucher = desk.request.get(f"{live_server.url}/mutualaid/payments/batches/{batch.pk}/voucher.pdf")
    assert voucher.ok and voucher.body().startswith(b"%PDF")
    desk.goto(f"{live_server.url}/mutualaid/payments/batches/{batch.pk}/")

    desk.set_input_files("#id_file", files=[{"name": "回盘.csv", "mimeType": "text/csv",
                                              "buffer": return_file(batch, unknown=True)}])
    click_and_wait(desk, "text=导入回盘")
    expect(desk.locator("table.row-errors")).to_contain_text("ZF20260101-NOSUCH-0001不是本批次待回盘的付款")
    expect(desk.locator("body")).to_contain_text("未导入任何记录")
    assert Claim.objects.get().state == Claim.State.IN_BATCH
    shot(desk, "payments-return-errors-desktop")
    desk.set_input_files("#id_file", files=[{"name": "回盘.csv", "mimeType": "text/csv",
                                              "buffer": return_file(batch)}])
    click_and_wait(desk, "text=导入回盘")
    expect(desk.locator("section.notice")).to_contain_text("已支付 1 笔")
    expect(desk.locator(".page-head")).to_contain_text("已回盘")
    shot(desk, "payments-batch-settled-desktop")

    phone.goto(f"{live_server.url}/mutualaid/claims/{claim.pk}/")
    expect(phone.locator(".page-head")).to_contain_text("已支付")
    expect(phone.locator("section.claim-payments")).to_contain_text("已支付")
    fits_the_phone(phone)
    shot(phone, "claim-paid-phone")
    phone.goto(f"{live_server.url}/mutualaid/claims/")
    expect(phone.locator("body")).to_contain_text("已支付")
    shot(phone, "claims-paid-phone")
    phone.goto(f"{live_server.url}/mutualaid/payments/mine/")
    expect(phone.locator("section.claim-payment")).to_contain_text("已支付")
    fits_the_phone(phone)
    shot(phone, "payments-mine-phone")
