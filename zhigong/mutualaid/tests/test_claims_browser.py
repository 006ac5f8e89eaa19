"""Claims in a real browser (Debian's Chromium through Playwright): a worker on a 360-px phone
fills in a claim with a photo of the invoice, is first refused for a discharge date before the
admission (the message beside the field, the input kept), corrects it and reads the computation;
the county reviewer finds it in the queue on a desktop and approves it; the worker sees
"已核准". Screenshots go to var/screenshots/claims-*.png."""

import pytest

from zhigong.conftest import PASSWORD, PHONE
from zhigong.env import VAR_DIR
from zhigong.mutualaid.models import Claim
from zhigong.mutualaid.tests import claims_setup as setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SHOTS = VAR_DIR / "screenshots"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def open_as(browser, live_server, user, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"claims-{name}.png"), full_page=True)


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_worker_claims_on_a_phone_and_a_reviewer_approves(world, live_server, browser):
    from playwright.sync_api import expect

    cw = setup.build(world)
    setup.cover(cw, "zgbx-zhuyuan")
    phone = open_as(browser, live_server, world.worker, PHONE)
    phone.goto(f"{live_server.url}/mutualaid/claims/")
    click_and_wait(phone, "text=申请互助金")
    phone.fill("#id_admitted_on", "2026-05-01")
    phone.fill("#id_discharged_on", "2026-04-28")
    phone.select_option("#id_hospital_grade", "2")
    phone.fill("#id_diagnosis", "社区获得性肺炎")
    phone.fill("#id_invoice_no", "FP2026050011")
    phone.fill("#id_total_cost", "3,280.50")
    phone.fill("#id_self_paid", "960")
    phone.fill("#id_bank_name", "工商银行南京玄武支行")
    phone.fill("#id_account_holder", "张伟")
    phone.fill("#id_account_number", "6222 0202 0011 2233 445")
    phone.set_input_files("#id_invoice_file", files=[{"name": "发票.png", "mimeType": "image/png", "buffer": PNG}])
    click_and_wait(phone, "form.claim-form button[type=submit]")
    expect(phone.locator("#id_discharged_on_errors")).to_contain_text("出院日期不能早于入院日期。")
    assert phone.input_value("#id_bank_name") == "工商银行南京玄武支行"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form is {width}px wide on a 360-px phone"
    shot(phone, "form-error-phone")
    phone.fill("#id_discharged_on", "2026-05-11")
    phone.set_input_files("#id_invoice_file", files=[{"name": "发票.png", "mimeType": "image/png", "buffer": PNG}])
    click_and_wait(phone, "form.claim-form button[type=submit]")
    expect(phone.locator("ol.steps")).to_contain_text("住院10天，超过3天部分按每天50元计7天，共350元。")
    expect(phone.locator("body")).to_contain_text("6222 **** **** 3445")
    shot(phone, "detail-phone")
    claim = Claim.objects.get()
    assert claim.documents.get().content_type == "image/png"

    desk = open_as(browser, live_server, cw.reviewer)
    desk.goto(f"{live_server.url}/mutualaid/claims/queue/")
    expect(desk.locator("table.queue")).to_contain_text(claim.number)
    shot(desk, "queue-desktop")
    click_and_wait(desk, f"text={claim.number}")
    desk.check("input[name=decision][value=approve]")
    shot(desk, "review-desktop")
    click_and_wait(desk, "text=提交审核意见")
    expect(desk.locator(".page-head")).to_contain_text("已核准")

    phone.goto(f"{live_server.url}/mutualaid/claims/")
    expect(phone.locator("section.claim")).to_contain_text("已核准")
    expect(phone.locator("section.claim")).to_contain_text("350.00")
    shot(phone, "mine-phone")
