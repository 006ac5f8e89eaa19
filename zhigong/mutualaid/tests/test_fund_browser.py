"""Plans, pools and contributions in a real browser (Debian's Chromium through Playwright): the
treasurer of county A issues a notice, records a partial payment on a 360-px phone, reads the
pool page with its ECharts chart; a fund approver of the city approves a transfer on the pool
page; the province cadre reads the federation dashboard. Screenshots go to
var/screenshots/fund-*.png (desktop 1280 px, phone 360 px)."""

from datetime import date

import pytest

from zhigong.conftest import PASSWORD, PHONE, build_world
from zhigong.env import VAR_DIR
from zhigong.mutualaid import ledgering
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import Invoice, PoolTransfer
from zhigong.mutualaid.tests import pools_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SHOTS = VAR_DIR / "screenshots"


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
    page.screenshot(path=str(SHOTS / f"fund-{name}.png"), full_page=True)


def _money(fund):
    admin = fund.world.admin
    for day, fen in ((date(2026, 1, 20), 2_000_000), (date(2026, 2, 20), 1_500_000), (date(2026, 3, 20), 900_000)):
        ledgering.post(admin, fund.county.book, day, "缴费入账",
                       [debit(chart.BANK, fen), credit(chart.CONTRIBUTIONS, fen)])
    ledgering.post(admin, fund.county.book, date(2026, 3, 25), "支付互助金",
                   [debit(chart.BENEFITS, 700_000), credit(chart.BANK, 700_000)])
    ledgering.post(admin, fund.city.book, date(2026, 1, 20), "缴费入账",
                   [debit(chart.BANK, 5_000_000), credit(chart.CONTRIBUTIONS, 5_000_000)])


def test_notice_payment_pool_and_dashboard(live_server, browser):
    from playwright.sync_api import expect

    world = build_world()
    fund = pools_setup.build(world, workers=4)
    _money(fund)

    treasurer = open_as(browser, live_server, fund.treasurer)
    treasurer.goto(f"{live_server.url}/mutualaid/invoices/")
    with treasurer.expect_navigation():
        treasurer.click("button:has-text('开具通知单')")
    invoice = Invoice.objects.get()
    expect(treasurer.locator("h1")).to_contain_text(invoice.number)
    shot(treasurer, "invoice-desktop")

    phone = open_as(browser, live_server, fund.treasurer, PHONE)
    phone.goto(f"{live_server.url}/mutualaid/invoices/{invoice.pk}/")
    phone.fill("#id_amount", "abc")
    phone.fill("#id_paid_on", "2026-01-20")
    with phone.expect_navigation():
        phone.click("form.stacked button[type=submit]")
    expect(phone.locator("#id_amount_errors")).to_contain_text("金额格式不正确")
    phone.fill("#id_amount", "100")
    with phone.expect_navigation():
        phone.click("form.stacked button[type=submit]")
    expect(phone.locator("#owed")).to_contain_text("¥100.00")
    shot(phone, "invoice-phone")

    treasurer.goto(f"{live_server.url}/mutualaid/pools/{fund.county.pk}/")
    treasurer.wait_for_selector("[data-fund-chart] svg")
    treasurer.fill("#id_amount", "3000")
    treasurer.fill("#id_reason", "三月住院津贴集中支付，资金池缺口")
    with treasurer.expect_navigation():
        treasurer.click("form.stacked button[type=submit]")
    expect(treasurer.locator("body")).to_contain_text("调拨申请已提交")

    approver = open_as(browser, live_server, fund.approver, PHONE)
    approver.goto(f"{live_server.url}/mutualaid/pools/{fund.county.pk}/")
    approver.wait_for_selector("[data-fund-chart] svg")
    with approver.expect_navigation():
        approver.click("button:has-text('批准并划拨')")
    assert PoolTransfer.objects.get().state == PoolTransfer.State.POSTED
    approver.wait_for_selector("[data-fund-chart] svg")
    shot(approver, "pool-phone")

    cadre = open_as(browser, live_server, world.province_cadre)
    cadre.goto(f"{live_server.url}/mutualaid/federations/{world.province.pk}/dashboard/")
    cadre.wait_for_selector("[data-fund-chart=levels] svg")
    expect(cadre.locator("h1")).to_contain_text("江苏省总工会")
    shot(cadre, "dashboard-desktop")
    cadre.goto(f"{live_server.url}/mutualaid/pools/{fund.county.pk}/")
    cadre.wait_for_selector("[data-fund-chart] svg")
    shot(cadre, "pool-desktop")
