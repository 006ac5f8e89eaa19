"""The roster in a real browser (Debian's Chromium through Playwright): an enterprise admin on a
360-px phone uploads a roster with an error, reads the report, imports only the clean rows after
ticking the confirmation; then the roster on a 1280-px desktop. Screenshots go to
var/screenshots/roster-*.png."""

import pytest

from zhigong.conftest import PASSWORD, PHONE
from zhigong.env import VAR_DIR
from zhigong.mutualaid.models import Coverage, RosterUpload
from zhigong.mutualaid.tests.roster_fixtures import build, row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
SHOTS = VAR_DIR / "screenshots"


def open_as(browser, live_server, user, viewport):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_upload_report_and_clean_rows_on_a_phone(world, live_server, browser, tmp_path):
    build(world)
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(xlsx([row(1), row(2, 身份证号="320102198803141"), row(3), row(4, 保障计划="不存在的计划")]))
    phone = open_as(browser, live_server, world.enterprise_admin, PHONE)
    phone.goto(f"{live_server.url}/mutualaid/roster/enterprises/{world.enterprise_a.pk}/upload/")
    phone.set_input_files("#id_file", str(roster))
    phone.fill("#id_starts_on", "2026-01-01")
    with phone.expect_navigation():
        phone.click("form.form button[type=submit]")
    assert "身份证号码应为18位" in phone.content() and "没有名为“不存在的计划”的保障计划" in phone.content()
    phone.screenshot(path=str(SHOTS / "roster-report-phone.png"), full_page=True)
    phone.check("#id_only_clean_rows")
    with phone.expect_navigation():
        phone.click("text=只导入无误的2行")
    assert "花名册已导入" in phone.content()
    assert RosterUpload.objects.get().state == RosterUpload.State.PARTIAL and Coverage.objects.count() == 2
    desktop = open_as(browser, live_server, world.enterprise_admin, DESKTOP)
    desktop.goto(f"{live_server.url}/mutualaid/roster/enterprises/{world.enterprise_a.pk}/")
    assert "共2条保障记录" in desktop.content()
    desktop.screenshot(path=str(SHOTS / "roster-list-desktop.png"), full_page=True)
    phone.goto(f"{live_server.url}/mutualaid/roster/enterprises/{world.enterprise_a.pk}/")
    phone.screenshot(path=str(SHOTS / "roster-list-phone.png"), full_page=True)
