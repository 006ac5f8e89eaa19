"""Decision tracking in a real browser (Debian's Chromium through Playwright): the enterprise
admin reads the overview at 1280 px (charts drawn), uploads a spreadsheet with errors (a table
of rows and columns, nothing written), then a clean one; a worker reads the resolution's
tracking page on a 360-px phone and opens a step's proof. Screenshots go to
var/screenshots/tracking-*.png."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhigong.democracy.models import Session
from zhigong.env import VAR_DIR
from zhigong.participation.tests.test_browser import click_and_wait, open_as
from zhigong.tracking import actions
from zhigong.tracking.models import Entry
from zhigong.tracking.tests.test_import import filled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SHOTS = VAR_DIR / "screenshots"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"tracking-{name}.png"), full_page=True)


def held_two_months_ago(tw) -> None:
    """The session took place 60 days ago (the fixture opens it now, the demo backdates too)."""
    Session.objects.filter(pk=tw.passed.item.session_id).update(starts_at=timezone.now() - timedelta(days=60))
    tw.passed.refresh_from_db()


def test_overview_import_and_the_public_page_on_a_phone(tw, world, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    held_two_months_ago(tw)
    today = timezone.localdate()
    actions.plan_resolution(tw.chair, tw.passed, today + timedelta(days=30), tw.vw.production)
    stove = actions.add_measure(tw.chair, tw.passed, "改造食堂灶台和排烟系统", 3, today - timedelta(days=20),
                                tw.vw.production)
    tables = actions.add_measure(tw.chair, tw.passed, "更换餐桌椅并增设夜班窗口", 2, today + timedelta(days=20),
                                 tw.vw.logistics)
    prices = actions.add_measure(tw.chair, tw.passed, "每月公示菜价和成本", 1, today + timedelta(days=40))
    actions.report_progress(tw.chair, stove, 40, "灶台已拆除，新灶台已到货。", on=today - timedelta(days=30))
    actions.report_progress(tw.chair, tables, 70, "餐桌椅已更换，夜班窗口正在施工。", on=today - timedelta(days=10))
    actions.report_progress(tw.chair, tables, 60, "夜班窗口验收未通过，返工。", reason="消防验收发现排烟不达标。",
                            on=today - timedelta(days=5))

    admin = open_as(browser, live_server, tw.chair)
    admin.goto(f"{live_server.url}/tracking/enterprises/{world.enterprise_a.pk}/")
    expect(admin.locator(".chart[data-chart=resolutions]")).to_have_attribute("data-drawn", "1")
    expect(admin.locator("#measures-overdue")).to_have_text("1")
    expect(admin.locator("#overdue-table")).to_contain_text("改造食堂灶台和排烟系统")
    shot(admin, "overview-desktop")

    click_and_wait(admin, "text=批量更新进度")
    with admin.expect_download() as download:
        admin.click("#template-link")
    template = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).worksheets[0]
    assert [r[0] for r in template.iter_rows(min_row=2, values_only=True)] == [stove.pk, tables.pk, prices.pk]
    bad = tmp_path / "进度-有错.xlsx"
    bad.write_bytes(filled([[stove.pk, "", "", "", None, None, 30, today, "复查", None],
                            [prices.pk, "", "", "", None, None, "一半", "昨天", "公示了", None]]))
    admin.set_input_files("#id_file", str(bad))
    click_and_wait(admin, "form.stacked button[type=submit]")
    expect(admin.locator("#errors-table")).to_contain_text("G 本次进度(%)")
    expect(admin.locator("#errors-table")).to_contain_text("H 日期")
    assert Entry.objects.count() == 3  # nothing of the file was written
    shot(admin, "import-errors-desktop")
    good = tmp_path / "进度.xlsx"
    good.write_bytes(filled([[stove.pk, "", "", "", None, None, 80, today, "新灶台安装完成，排烟调试中。", None],
                             [prices.pk, "", "", "", None, None, 100, today, "菜价和成本已在食堂公示栏公示。", None]]))
    admin.set_input_files("#id_file", str(good))
    click_and_wait(admin, "form.stacked button[type=submit]")
    expect(admin.locator(".messages")).to_contain_text("已导入2条进度记录")
    admin.context.close()

    worker = open_as(browser, live_server, world.worker, viewport=PHONE)
    worker.goto(f"{live_server.url}/tracking/resolutions/{tw.passed.pk}/")
    expect(worker.locator("#progress")).to_have_text(f"{(3 * 80 + 2 * 60 + 1 * 100) // 6}%")
    expect(worker.locator(".steps")).to_contain_text("消防验收发现排烟不达标。")
    worker.locator(".proof-details summary").last.click()
    expect(worker.locator(".proof-details").last).to_contain_text("tracking.import")
    width = worker.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width   # nothing sticks out on a phone
    shot(worker, "resolution-phone")
    worker.goto(f"{live_server.url}/tracking/enterprises/{world.enterprise_a.pk}/")
    expect(worker.locator(".chart[data-chart=resolutions]")).to_have_attribute("data-drawn", "1")
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(worker, "overview-phone")
    worker.context.close()


def test_proposals_import_on_desktop_and_on_a_phone(tw, world, live_server, browser, tmp_path):
    """The enterprise admin switches to the proposals tab, downloads its template, uploads a file
    that sets a proposal back (refused, nothing written), then a clean one; the same page on a
    360-px phone; the proposal's tracking page shows the imported step with its proof."""
    from playwright.sync_api import expect

    from zhigong.participation.models import ProgressUpdate
    from zhigong.tracking.tests.conftest import answered
    from zhigong.tracking.tests.test_import_proposals import filled as proposals_file

    bonus = answered(tw, "关于提高高温津贴标准的提案")
    bus = answered(tw, "关于增设夜班班车的提案", progress=40)
    today = timezone.localdate()
    admin = open_as(browser, live_server, tw.chair)
    admin.goto(f"{live_server.url}/tracking/enterprises/{world.enterprise_a.pk}/import/")
    click_and_wait(admin, "#tab-proposals")
    with admin.expect_download() as download:
        admin.click("#template-link")
    template = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).worksheets[0]
    assert [(r[0], r[5]) for r in template.iter_rows(min_row=2, values_only=True)] == [(bonus.pk, 0), (bus.pk, 40)]
    updates = ProgressUpdate.objects.count()
    bad = tmp_path / "提案进度-有错.xlsx"
    bad.write_bytes(proposals_file([[bonus.pk, "", "", "", None, 0, 30, today, "测算完成"],
                                    [bus.pk, "", "", "", None, 40, 20, today, "班车线路调整"]]))
    admin.set_input_files("#id_file", str(bad))
    click_and_wait(admin, "form.stacked button[type=submit]")
    expect(admin.locator("#errors-table")).to_contain_text("只能增加")
    expect(admin.locator("#report-link")).to_be_visible()
    assert ProgressUpdate.objects.count() == updates   # nothing of the file was written
    shot(admin, "proposals-import-errors-desktop")
    good = tmp_path / "提案进度.xlsx"
    good.write_bytes(proposals_file([[bonus.pk, "", "", "", None, 0, 30, today, "高温津贴测算完成，报经营层审定。"],
                                     [bus.pk, "", "", "", None, 40, 100, today, "夜班班车两条线路已开通。"]]))
    admin.set_input_files("#id_file", str(good))
    click_and_wait(admin, "form.stacked button[type=submit]")
    expect(admin.locator(".messages")).to_contain_text("已导入2条进度记录")
    shot(admin, "proposals-import-desktop")
    admin.context.close()

    phone = open_as(browser, live_server, tw.chair, viewport=PHONE)
    phone.goto(f"{live_server.url}/tracking/enterprises/{world.enterprise_a.pk}/import/proposals/")
    expect(phone.locator("#tab-proposals")).to_have_attribute("aria-current", "page")
    back = tmp_path / "提案进度-下调.xlsx"   # the bus is carried out now; the bonus is at 30 %
    back.write_bytes(proposals_file([[bonus.pk, "", "", "", None, 30, 10, today, "方案退回重算"]]))
    phone.set_input_files("#id_file", str(back))
    click_and_wait(phone, "form.stacked button[type=submit]")
    expect(phone.locator("#errors-table")).to_contain_text("G 本次进度(%)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "proposals-import-phone")
    phone.goto(f"{live_server.url}/tracking/proposals/{bus.pk}/")
    expect(phone.locator(".steps")).to_contain_text("夜班班车两条线路已开通。")
    phone.locator(".proof-details summary").last.click()
    expect(phone.locator(".proof-details").last).to_contain_text("叶子哈希")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "proposal-after-import-phone")
    phone.context.close()
