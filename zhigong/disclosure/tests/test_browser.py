"""厂务公开 in a real browser (Debian's Chromium through Playwright): the enterprise admin sees one
mandatory disclosure overdue, publishes it with the confirmation, and the compliance view turns
green; a worker reads and acknowledges it on a 360-px phone; the county cadre opens the heat map.
Screenshots go to var/screenshots/disclosure-*.png (desktop 1280 px, phone 360 px)."""

import pytest
from django.utils import timezone

from zhigong.conftest import PASSWORD, PHONE
from zhigong.disclosure import actions, queries
from zhigong.disclosure.models import Matter, Publication
from zhigong.env import VAR_DIR

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
    page.screenshot(path=str(SHOTS / f"disclosure-{name}.png"), full_page=True)


def _all_but_one_published(world, dw) -> Matter:
    """Every mandatory obligation due so far this year published, except the last safety one."""
    rows = queries.compliance(world.enterprise_a, timezone.localdate().year)["missing_items"]
    last = max((d for d in rows if d.matter.code == "safety"), key=lambda d: d.obligation.period.due)
    for d in rows:
        if d is not last:
            actions.publish(world.enterprise_admin, d.matter, f"{d.obligation.period.label} {d.matter.name}",
                            "本期情况见正文。", period=d.obligation.period.label)
    return last


def test_admin_publishes_the_overdue_one_and_a_worker_acknowledges_on_a_phone(world, dw, live_server, browser):
    from playwright.sync_api import expect

    last = _all_but_one_published(world, dw)
    admin = open_as(browser, live_server, world.enterprise_admin)
    compliance = f"{live_server.url}/disclosure/enterprise/{world.enterprise_a.pk}/compliance/"
    admin.goto(compliance)
    expect(admin.locator("#light")).to_have_attribute("data-state", "red")
    expect(admin.locator("#missing")).to_contain_text(last.obligation.period.label)
    admin.wait_for_selector(".chart[data-drawn]")
    shot(admin, "compliance-red-desktop")
    with admin.expect_navigation():
        admin.click("#missing a.button")
    admin.fill("#id_title", f"{last.obligation.period.label}安全生产情况")
    admin.fill("#id_text", "本季度未发生生产安全事故，排查隐患12项，已全部整改。")
    admin.fill("#id_table", "项目|数量\n隐患排查|12\n已整改|12")
    with admin.expect_navigation():
        admin.click("#publish-button")  # without the confirmation: refused, input kept
    expect(admin.locator(".field.has-error")).to_contain_text("请勾选确认")
    expect(admin.locator("#id_text")).to_have_value("本季度未发生生产安全事故，排查隐患12项，已全部整改。")
    admin.check("#id_confirm")
    shot(admin, "publish-desktop")
    with admin.expect_navigation():
        admin.click("#publish-button")
    expect(admin.locator(".messages")).to_contain_text("已发布")
    published = Publication.objects.get(matter__code="safety", period=last.obligation.period.label)
    admin.goto(compliance)
    expect(admin.locator("#light")).to_have_attribute("data-state", "green")
    expect(admin.locator("#missing-count")).to_have_text("0")
    shot(admin, "compliance-green-desktop")
    admin_phone = open_as(browser, live_server, world.enterprise_admin, PHONE)
    admin_phone.goto(compliance)
    admin_phone.wait_for_selector(".chart[data-drawn]")
    assert admin_phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(admin_phone, "compliance-green-phone")
    admin_phone.context.close()

    worker = open_as(browser, live_server, world.worker, PHONE)
    worker.goto(f"{live_server.url}/disclosure/")
    expect(worker.locator(".feed").first).to_contain_text(published.title)
    shot(worker, "index-phone")
    with worker.expect_navigation():
        worker.click(f"a[href='/disclosure/p/{published.pk}/']")
    expect(worker.locator("#table")).to_contain_text("隐患排查")
    wide = worker.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361
        && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert worker.evaluate("document.documentElement.scrollWidth") <= 360, wide  # nothing wider than the phone
    with worker.expect_navigation():
        worker.click("#acknowledge")
    expect(worker.locator("#acknowledged")).to_be_visible()
    expect(worker.locator("#ack-count")).to_contain_text("1")
    shot(worker, "publication-phone")
    assert published.acknowledgements.filter(user=world.worker).exists()

    cadre = open_as(browser, live_server, world.cadre_a)
    cadre.goto(f"{live_server.url}/disclosure/federation/{world.county_a.pk}/")
    cadre.wait_for_selector(".chart[data-drawn]")
    expect(cadre.locator("#ranking")).to_contain_text(world.enterprise_a.name)
    shot(cadre, "federation-desktop")
