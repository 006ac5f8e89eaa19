"""The ledger in a real browser (Debian's Chromium through Playwright): the treasurer reads the
balances, opens an entry and reverses it on a 360-px phone, and reads the trial balance on a
desktop. Screenshots go to var/screenshots/ledger-*.png."""

from datetime import date

import pytest

from zhigong.conftest import DESKTOP, PASSWORD, PHONE
from zhigong.env import VAR_DIR
from zhigong.ledger import actions
from zhigong.ledger.models import Entry
from zhigong.ledger.rules import credit, debit
from zhigong.ledger.tests.conftest import contribution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = VAR_DIR / "screenshots"


def open_as(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_the_treasurer_reverses_an_entry_on_a_phone_and_reads_the_trial_balance(books, world, live_server, browser):
    from playwright.sync_api import expect

    contribution(books.treasurer, books.a, 1_234_500, world.enterprise_a.pk, day=date(2026, 9, 3))
    wrong = actions.post(books.treasurer, books.a, date(2026, 10, 8), "支付互助金（金额录错）", [
        debit("6401", 450_000, person_id=world.worker_person.pk),
        credit("1002", 450_000, person_id=world.worker_person.pk)])

    phone = open_as(browser, live_server, books.treasurer, PHONE)
    phone.goto(f"{live_server.url}/ledger/")
    phone.click(f"text={books.a.name}")
    expect(phone.locator("#balances")).to_contain_text("¥12,345.00")
    phone.screenshot(path=str(SHOTS / "ledger-balances-phone.png"), full_page=True)
    phone.goto(f"{live_server.url}/ledger/entries/{wrong.pk}/")
    phone.fill("#id_reason", "金额录错，应为 3,500 元")
    phone.fill("#id_day", "2026-10-09")
    phone.screenshot(path=str(SHOTS / "ledger-entry-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.click("button.danger")
    reversal = Entry.objects.get(reverses=wrong)
    expect(phone.locator("#reverses-link")).to_contain_text(f"#{wrong.pk}")
    phone.screenshot(path=str(SHOTS / "ledger-reversal-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width

    desk = open_as(browser, live_server, world.cadre_a, DESKTOP)
    desk.goto(f"{live_server.url}/ledger/books/{books.a.pk}/trial/")
    expect(desk.locator("#trial-status")).to_contain_text("借贷平衡")
    expect(desk.locator("#trial tfoot")).to_contain_text("¥12,345.00")
    desk.screenshot(path=str(SHOTS / "ledger-trial-desktop.png"), full_page=True)
    desk.goto(f"{live_server.url}/ledger/entries/{wrong.pk}/")
    expect(desk.locator("#reversal-link")).to_contain_text(f"#{reversal.pk}")
    desk.screenshot(path=str(SHOTS / "ledger-entry-desktop.png"), full_page=True)
