"""Workers' voice in a real browser (Debian's Chromium through Playwright): a delegate drafts a
proposal while the similar-proposals panel fills, two delegates co-sign, the delegate submits;
the committee accepts and assigns; the department answers and reports 100%; the delegate rates
on a phone. Then an anonymous worker on a 360-px phone uses the suggestion box, management
answers, and the worker reads the answer with the follow-up code. Screenshots go to
var/screenshots/voice-*.png (desktop 1280 px, phone 360 px)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.conftest import PASSWORD, PHONE
from zhigong.env import VAR_DIR
from zhigong.participation import actions
from zhigong.participation.models import BoxMessage, Proposal
from zhigong.participation.tests.conftest import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SHOTS = VAR_DIR / "screenshots"


def open_as(browser, live_server, user=None, viewport=DESKTOP):
    """A fresh browser context (its own cookies), logged in through the login page."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    if user is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"voice-{name}.png"), full_page=True)


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_proposal_from_draft_to_rating(vw, live_server, browser):
    from playwright.sync_api import expect

    cw = vw.cw
    earlier = draft(vw, 3, title="关于上调夏季高温补贴的提案", cosigners=(4, 5), cause="夏季车间闷热，补贴多年未调。")
    actions.submit(cw.users[3], earlier)

    delegate = open_as(browser, live_server, cw.users[0])
    delegate.goto(f"{live_server.url}/proposals/new/")
    delegate.fill("#id_title", "关于提高高温津贴标准的提案")
    delegate.fill("#id_cause", "一线车间夏季温度高，高温津贴偏低。")
    delegate.fill("#id_measures", "按市人社部门公布的标准上调，并按月发放。")
    delegate.locator("#id_measures").press("End")  # a keyup: htmx posts the text after 600 ms
    expect(delegate.locator("#similar")).to_contain_text(earlier.title)
    expect(delegate.locator("#similar")).to_contain_text("去附议")
    delegate.select_option("#id_category", "wages")
    shot(delegate, "draft-desktop")
    click_and_wait(delegate, "form.proposal-form button[type=submit]")
    proposal = Proposal.objects.get(title="关于提高高温津贴标准的提案")
    share_url = delegate.input_value("#share-link")
    assert share_url.endswith(f"/proposals/{proposal.pk}/")

    for i in (1, 2):
        signer = open_as(browser, live_server, cw.users[i], PHONE)
        signer.goto(share_url)
        if i == 1:
            shot(signer, "cosign-phone")
        click_and_wait(signer, "#cosign button[type=submit]")
        expect(signer.locator(".messages")).to_contain_text("您已附议该提案。")
        signer.context.close()

    delegate.reload()
    expect(delegate.locator("body")).to_contain_text("已有 2 名代表附议")
    click_and_wait(delegate, "form[action$='/submit/'] button")
    expect(delegate.locator(".page-head .tag")).to_have_text("已提交")

    member = open_as(browser, live_server, cw.users[25])
    member.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    click_and_wait(member, "form[action$='/start-review/'] button")
    click_and_wait(member, "form[action$='/accept/'] button")
    member.select_option("#id_assign-lead_department", str(vw.production.pk))
    member.check(f"input[name='assign-co_departments'][value='{vw.logistics.pk}']")
    member.fill("#id_assign-due_on", (timezone.localdate() + timedelta(days=20)).isoformat())
    shot(member, "assign-desktop")
    click_and_wait(member, "form[action$='/assign/'] button[type=submit]")
    expect(member.locator(".page-head .tag")).to_have_text("已交办")

    clerk = open_as(browser, live_server, vw.clerk)
    clerk.goto(f"{live_server.url}/proposals/queue/")
    shot(clerk, "queue-desktop")
    click_and_wait(clerk, f"a[href='/proposals/{proposal.pk}/']")
    clerk.fill("#id_answer-answer", "经调研，自下月起按市标准上调高温津贴。")
    clerk.fill("#id_answer-planned_measures", "修订津贴发放办法，7月起执行。")
    click_and_wait(clerk, "form[action$='/answer/'] button[type=submit]")
    clerk.fill("#id_progress-percent", "100")
    clerk.fill("#id_progress-note", "已按新标准发放。")
    click_and_wait(clerk, "form[action$='/progress/'] button[type=submit]")
    expect(clerk.locator(".page-head .tag")).to_have_text("已落实")

    phone = open_as(browser, live_server, cw.users[0], PHONE)
    phone.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    phone.check("input[name='rate-rating'][value='satisfied']")
    click_and_wait(phone, "form[action$='/rate/'] button[type=submit]")
    expect(phone.locator(".page-head .tag")).to_have_text("已办结")
    expect(phone.locator(".timeline")).to_contain_text("提案人评价")
    shot(phone, "detail-phone")
    delegate.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    shot(delegate, "detail-desktop")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.rating, proposal.progress) == ("closed", "satisfied", 100)

    chair = open_as(browser, live_server, cw.chair)
    chair.goto(f"{live_server.url}/proposals/board/{cw.congress.pk}/")
    expect(chair.locator(".chart[data-chart='states']")).to_have_attribute("data-drawn", "1")
    expect(chair.locator(".chart[data-chart='states'] svg").first).to_be_visible()
    shot(chair, "board-desktop")
    board_phone = open_as(browser, live_server, cw.chair, PHONE)
    board_phone.goto(f"{live_server.url}/proposals/board/{cw.congress.pk}/")
    expect(board_phone.locator(".chart[data-chart='departments']")).to_have_attribute("data-drawn", "1")
    shot(board_phone, "board-phone")
    assert board_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_anonymous_worker_uses_the_box_on_a_phone(world, live_server, browser):
    from playwright.sync_api import expect

    box = actions.open_box(world.enterprise_admin, world.enterprise_a)
    visitor = open_as(browser, live_server, None, PHONE)
    visitor.goto(f"{live_server.url}/box/{box.slug}/")
    visitor.fill("#id_text", "夜班结束后食堂已经关门，希望延长供餐时间。")
    visitor.select_option("#id_category", "welfare")
    visitor.check("#id_consent_public")
    shot(visitor, "box-drop-phone")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    click_and_wait(visitor, "form.box-form button[type=submit]")
    code = visitor.inner_text("#follow-up-code").strip()
    assert len(code) == 19 and code.count("-") == 3
    expect(visitor.locator(".code-card .notice")).to_contain_text("只显示这一次")
    shot(visitor, "box-code-phone")
    assert {c["name"] for c in visitor.context.cookies()} <= {"csrftoken"}

    admin = open_as(browser, live_server, world.enterprise_admin)
    admin.goto(f"{live_server.url}/box/manage/{world.enterprise_a.pk}/")
    expect(admin.locator(".inbox")).to_contain_text("夜班结束后食堂已经关门")
    shot(admin, "box-manage-desktop")
    click_and_wait(admin, ".inbox a.button")
    admin.fill("#id_answer", "自下月起，食堂夜班供餐延长至凌晨一点。")
    admin.check("#id_public")
    click_and_wait(admin, "form.stacked button[type=submit]")
    message = BoxMessage.objects.get()
    assert message.state == "answered" and message.public

    visitor.goto(f"{live_server.url}/box/follow-up/")
    visitor.fill("#id_code", code.lower())
    click_and_wait(visitor, "form.stacked button[type=submit]")
    expect(visitor.locator("#thread")).to_contain_text("自下月起，食堂夜班供餐延长至凌晨一点。")
    expect(visitor.locator("#thread-state")).to_have_text("已答复")
    shot(visitor, "box-answer-phone")
    visitor.goto(f"{live_server.url}/box/{box.slug}/answers/")
    expect(visitor.locator(".answers")).to_contain_text("希望延长供餐时间")
    shot(visitor, "box-answers-phone")


def test_a_worker_suggests_on_a_phone_and_management_rewards(world, live_server, browser):
    from playwright.sync_api import expect

    worker = open_as(browser, live_server, world.worker, PHONE)
    worker.goto(f"{live_server.url}/suggestions/new/")
    worker.fill("#id_team", "机加车间二班")
    worker.fill("#id_title", "改用快换夹具")
    worker.select_option("#id_topic", "technology")
    worker.fill("#id_content", "换刀时间从15分钟降到3分钟，每班多出一小时产能。")
    shot(worker, "suggestion-phone")
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    click_and_wait(worker, "form.stacked button[type=submit]")
    expect(worker.locator(".page-head .tag")).to_have_text("已提交")
    url = worker.url

    admin = open_as(browser, live_server, world.enterprise_admin)
    admin.goto(url)
    admin.check("input[name='decide-decision'][value='adopt']")
    admin.fill("#id_decide-reason", "方案可行，先在二班试点。")
    click_and_wait(admin, "form[action$='/decide/'] button[type=submit]")
    admin.fill("#id_implement-benefit", "86,400.00")
    click_and_wait(admin, "form[action$='/implement/'] button[type=submit]")
    admin.fill("#id_reward-reward", "2000")
    click_and_wait(admin, "form[action$='/reward/'] button[type=submit]")
    expect(admin.locator(".facts")).to_contain_text("¥86,400.00")
    shot(admin, "suggestion-desktop")
    admin.goto(f"{live_server.url}/suggestions/stats/{world.enterprise_a.pk}/")
    expect(admin.locator("#stat-benefit")).to_have_text("¥86,400.00")
    expect(admin.locator(".chart[data-chart='teams']")).to_have_attribute("data-drawn", "1")
    shot(admin, "suggestion-stats-desktop")
