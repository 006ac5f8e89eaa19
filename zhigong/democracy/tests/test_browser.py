"""A session in a real browser (Playwright driving Debian's Chromium, never a downloaded one):
a delegate on a 360-px phone checks in with the hall's code and votes, with the commitment
made by the phone (live_server is http://localhost, a secure context, so crypto.subtle
exists); the chair on a desktop opens the session and the voting, watches the live room and
closes the round; the phone checks its receipt on the bulletin; the resolution shows the
result. Screenshots go to var/screenshots/congress-*.png."""

import hashlib

import pytest
from playwright.sync_api import expect

from zhigong.conftest import DESKTOP, PASSWORD, PHONE
from zhigong.democracy import actions, ballots
from zhigong.democracy.models import SecretBallot, VotingRound
from zhigong.democracy.tests.conftest import build_congress
from zhigong.env import VAR_DIR

SHOTS = VAR_DIR / "screenshots"


def _log_in(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"congress-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_delegate_votes_on_a_phone_and_the_chair_runs_the_item(world, live_server, browser):
    cw = build_congress(world)
    base = live_server.url
    actions.add_agenda_item(cw.chair, cw.session, "集体合同草案", "approve", matter="collective_contract",
                            description="2026—2028年度集体合同草案，经协商一致形成。")
    actions.convene_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    for delegate in cw.delegates[1:27]:  # 26 in the hall; the quorum is 27
        actions.check_in(cw.chair, cw.session, delegate=delegate)

    # The delegate checks in on the phone with the code shown in the hall.
    phone = _log_in(browser, base, "delegate000", PHONE)
    phone.goto(f"{base}/congress/mine/")
    _shot(phone, "phone-mine")
    phone.click(f"text={cw.session.title}")
    phone.click("a.big-button:has-text('签到')")
    phone.fill("#id_code", cw.session.check_in_code)
    _shot(phone, "phone-check-in")
    phone.click("main button:has-text('签到')")
    expect(phone.locator(".me")).to_contain_text("您已签到")
    _shot(phone, "phone-session")

    # The chair opens the session and the voting on the item.
    chair = _log_in(browser, base, "enterprise_admin", DESKTOP)
    chair.goto(f"{base}/congress/{cw.congress.pk}/")
    expect(chair.locator("#term .check-ok")).to_have_count(4)
    _shot(chair, "congress")
    chair.goto(f"{base}/congress/terms/{cw.term.pk}/")
    _shot(chair, "term")
    chair.click("a:has-text('登记代表')")
    chair.fill("input.picker-search", "张")
    expect(chair.locator("#id_person option")).to_have_count(2)  # refilled by htmx as one types
    chair.select_option("#id_person", label=f"张伟（{world.worker_person.id_masked}）")
    chair.select_option("#id_constituency", label="一车间")
    chair.fill("#id_voters", "70")
    chair.fill("#id_votes_for", "30")
    chair.click("main button:has-text('提交')")
    expect(chair.locator("#id_votes_for_errors")).to_contain_text("未超过选区全体职工（70人）的半数")
    _shot(chair, "delegate-form-error")
    chair.goto(f"{base}/congress/sessions/{cw.session.pk}/manage/")
    expect(chair.locator("#open-note")).to_contain_text("出席人数已达到全体代表的三分之二")
    chair.click("button:has-text('宣布开会')")
    chair.click("button:has-text('开始表决')")
    expect(chair.locator(".live-line")).to_contain_text("第1轮表决中")
    _shot(chair, "chair-manage")
    room = chair.context.new_page()
    room.goto(f"{base}/congress/sessions/{cw.session.pk}/live/")
    expect(room.locator("#live-cast")).to_have_text("0")

    # The delegate votes: choice, confirmation, receipt kept on the phone.
    phone.reload()
    phone.click("a.big-button:has-text('投票')")
    phone.click("label.choice-yes")
    _shot(phone, "phone-ballot")
    phone.click("button:has-text('下一步')")
    expect(phone.locator(".confirm-choice")).to_have_text("同意")
    _shot(phone, "phone-confirm")
    phone.click("button:has-text('确认投出')")
    expect(phone.locator("#receipt-stored")).to_be_visible()
    code = phone.locator("#receipt-code").inner_text()
    stored = phone.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('zhigong.receipt.'))
                                      .map(k => JSON.parse(localStorage.getItem(k)))""")
    _shot(phone, "phone-receipt")
    assert len(stored) == 1 and stored[0]["receipt"] == code
    voting_round = VotingRound.objects.get(item__session=cw.session)
    # The phone made the salt: the server holds only the commitment, which the salt reproduces.
    assert ballots.commitment_for(voting_round.pk, {"choice": "yes"}, stored[0]["salt"]) == stored[0]["commitment"]
    assert SecretBallot.objects.get().receipt == stored[0]["commitment"]
    assert "salt" not in phone.locator("#receipt").evaluate("el => Object.keys(el.dataset).join(',')")

    item = cw.session.items.get()
    for user in cw.users[1:23]:
        actions.cast_ballot(user, item, {"choice": "yes"})
    for user in cw.users[23:27]:
        actions.cast_ballot(user, item, {"choice": "no"})
    expect(room.locator("#live-cast")).to_have_text("27", timeout=6000)  # polled every 2 seconds
    expect(room.locator("#live-result")).to_have_count(0)
    _shot(room, "live-voting")

    chair.click("button:has-text('结束表决并计票')")
    expect(room.locator("#live-result")).to_contain_text("通过", timeout=6000)
    _shot(room, "live-result")

    # The delegate checks the receipt on the bulletin; the page recounts and checks the digest.
    phone.goto(f"{base}/congress/items/{item.pk}/bulletin/")
    expect(phone.locator(".my-receipt")).to_contain_text("已计入且与您的选择一致")
    expect(phone.locator(f"tr.mine[data-receipt='{code}']")).to_have_count(1)
    expect(phone.locator(".js-recount")).to_have_text("本机重新计票与公布结果一致。")
    expect(phone.locator(".js-digest")).to_have_text("本机计算的公告板摘要与留痕记录一致。")
    _shot(phone, "phone-bulletin")
    # The plain-JavaScript SHA-256 (for LAN pages without crypto.subtle) agrees with hashlib.
    for text in ("", "abc", "zhigong-ballot-v1|1|{\"choice\":\"yes\"}|" + "a" * 200, "职工代表大会"):
        assert phone.evaluate("t => window.zhigongBallot.sha256Plain(t)", text) == \
            hashlib.sha256(text.encode()).hexdigest()

    chair.goto(f"{base}/congress/sessions/{cw.session.pk}/manage/")
    chair.click("a:has-text('决议')")
    expect(chair.locator(".resolution-card .verdict-line")).to_contain_text("通过")
    expect(chair.locator(".figures")).to_contain_text("27")
    _shot(chair, "resolution")
