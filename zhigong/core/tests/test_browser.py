"""The platform foundation in a real browser: Playwright driving Debian's Chromium (never a
downloaded one) against the live server. A worker on a 360-px phone signs in by username and
by mobile number, sees their own record, opens the menu and switches the language both ways;
a county cadre on a desktop finds an enterprise of the county and its member count, and gets
the 404 page for another county's enterprise; a wrong password is answered beside the form
with the username kept. Screenshots go to var/screenshots/core-*.png for a person to look at."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from zhigong.conftest import DESKTOP, PASSWORD, PHONE, World, build_world
from zhigong.core.models import Organization
from zhigong.env import VAR_DIR

# Transactional: the live server's thread must see the test's rows. Seeded rows removed by the
# flush afterwards are put back by zhigong/conftest.py before the next such test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = VAR_DIR / "screenshots"
WORKER_MOBILE = "13812345678"


def new_page(browser: Browser, viewport: dict) -> Page:
    """A fresh context (its own cookies and language) whose browser asks for Chinese."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def submit_login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="登录").click()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"core-{name}.png"), full_page=True)


def fact(page: Page, term: str):
    """The <dd> that follows the <dt> named term in the worker's own record."""
    return page.locator("section[aria-labelledby='own-title']").locator(f"dt:text-is('{term}') + dd")


def expect_own_record(page: Page, world: World) -> None:
    expect(page.get_by_role("heading", name="我的记录")).to_be_visible()
    expect(fact(page, "姓名")).to_have_text("张伟")
    expect(fact(page, "工作单位")).to_have_text("玄武机械有限公司")
    masked = world.worker_person.id_masked
    assert re.fullmatch(r"3201\*{10}\d{3}[\dX]", masked)
    expect(fact(page, "身份证号")).to_have_text(masked)


def switch_language(page: Page, label: str) -> None:
    with page.expect_navigation():
        page.locator("header.topbar").get_by_role("button", name=label).click()


def test_worker_on_a_phone_signs_in_sees_own_record_and_switches_language(live_server, browser):
    world = build_world()
    base = live_server.url
    page = new_page(browser, PHONE)

    # A mistyped password is answered beside the form, with the username kept.
    submit_login(page, base, "worker", "not-the-password")
    expect(page).to_have_url(f"{base}/accounts/login/")
    expect(page.locator("main form").get_by_role("alert")).to_have_text("用户名/手机号或密码不正确。")
    expect(page.get_by_label("用户名或手机号")).to_have_value("worker")
    expect(page.get_by_label("密码")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "login-error-360")

    submit_login(page, base, "worker", PASSWORD)
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect_own_record(page, world)
    expect(page.locator("body")).not_to_contain_text("19880314")  # the birth date stays masked

    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()  # on a phone the menu starts folded
    page.locator("header.topbar").get_by_text("菜单", exact=True).click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="我的账号")).to_be_visible()
    expect(nav.get_by_role("link", name="组织")).to_have_count(0)  # a worker is not staff
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "worker-home-360")

    switch_language(page, "English")
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My record")).to_be_visible()
    expect(page.locator("header.topbar").get_by_text("Menu", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Employer")
    expect(page.locator("main")).not_to_contain_text("工作单位")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "worker-home-360-en")

    switch_language(page, "中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="我的记录")).to_be_visible()
    page.context.close()

    # The same person signs in by mobile number in a browser of their own.
    by_mobile = new_page(browser, PHONE)
    submit_login(by_mobile, base, WORKER_MOBILE, PASSWORD)
    expect(by_mobile).to_have_url(f"{base}/")
    expect_own_record(by_mobile, world)
    by_mobile.context.close()


def test_cadre_on_a_desktop_finds_an_enterprise_and_not_another_county(live_server, browser):
    world = build_world()
    base = live_server.url
    page = new_page(browser, DESKTOP)
    submit_login(page, base, "cadre_a", PASSWORD)
    expect(page).to_have_url(f"{base}/")

    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_visible()  # no menu button on a desktop
    with page.expect_navigation():
        nav.get_by_role("link", name="组织", exact=True).click()
    page.get_by_label("名称、统一社会信用代码或地区代码").fill("玄武")
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="查询").click()
    rows = page.locator("table tbody")
    expect(rows.get_by_role("link", name="玄武机械有限公司", exact=True)).to_be_visible()
    expect(rows).not_to_contain_text("秦淮")
    shot(page, "cadre-orgs-1280")

    with page.expect_navigation():
        rows.get_by_role("link", name="玄武机械有限公司", exact=True).click()
    expect(page).to_have_url(f"{base}/orgs/{world.enterprise_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("玄武机械有限公司")
    members = Organization.objects.get(pk=world.enterprise_a.pk).member_count
    assert members == 1  # the worker, a member of the enterprise's union
    stat = page.locator(".stat").filter(has=page.locator("dt", has_text="会员人数")).locator("dd")
    expect(stat).to_have_text(str(members))

    response = page.goto(f"{base}/orgs/{world.enterprise_b.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="找不到该页面")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("秦淮纺织有限公司")
    shot(page, "404-1280")
    page.context.close()

