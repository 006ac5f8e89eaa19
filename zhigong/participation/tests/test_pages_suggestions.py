"""Improvement suggestions through the pages: a worker submits; the enterprise reviews,
records the implementation with its benefit in yuan (stored in fen) and grants a reward; the
statistics and the teams' ranking."""

import pytest

from zhigong.participation import actions
from zhigong.participation.models import Suggestion
from zhigong.trail.models import Event


def text(response) -> str:
    return response.content.decode()


def suggest(world, team="机加车间二班", title="改进刀具夹具", topic="technology") -> Suggestion:
    return actions.submit_suggestion(world.worker, world.enterprise_a, team, title, "换用快换夹具，减少换刀时间。",
                                     topic)


def test_a_worker_submits_from_the_page(world, login):
    client = login(world.worker)
    page = text(client.get("/suggestions/new/"))
    assert world.enterprise_a.name in page
    response = client.post("/suggestions/new/", {"enterprise": world.enterprise_a.pk, "team": "机加车间二班",
                                                 "title": "改进刀具夹具", "topic": "technology",
                                                 "content": "换用快换夹具。"})
    row = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/suggestions/{row.pk}/"
    assert row.submitter == world.worker_person and row.state == "submitted"
    assert "改进刀具夹具" in text(client.get("/suggestions/"))


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "这个字段是必填项。"),
    ("content", "内" * 10001, "不能超过10000个字。"),
    ("team", "班" * 65, "不能超过64个字。"),
])
def test_bad_input_writes_nothing(world, login, field, value, message):
    client = login(world.worker)
    data = {"enterprise": world.enterprise_a.pk, "team": "二班", "title": "标题", "topic": "cost", "content": "内容"}
    response = client.post("/suggestions/new/", {**data, field: value})
    assert message in text(response) and f'id="id_{field}_errors"' in text(response)
    assert not Suggestion.objects.exists()


def test_someone_without_a_job_gets_a_notice(world, login):
    page = text(login(world.outsider).get("/suggestions/new/"))
    assert "没有关联在职记录" in page


def test_review_implement_and_reward_in_yuan(world, login):
    row = suggest(world)
    client = login(world.enterprise_admin)
    page = text(client.get(f"/suggestions/{row.pk}/"))
    assert "记录评审结论" in page and "提出人" in page
    assert client.post(f"/suggestions/{row.pk}/decide/", {"decide-decision": "adopt",
                                                          "decide-reason": "方案可行。"}).status_code == 302
    response = client.post(f"/suggestions/{row.pk}/implement/", {"implement-benefit": "12,345.60"})
    assert response.status_code == 302
    client.post(f"/suggestions/{row.pk}/reward/", {"reward-reward": "500"})
    row.refresh_from_db()
    assert (row.state, row.benefit_fen, row.reward_fen) == ("rewarded", 1234560, 50000)
    page = text(client.get(f"/suggestions/{row.pk}/"))
    assert "¥12,345.60" in page and "¥500.00" in page


def test_a_rejection_needs_a_reason(world, login):
    row = suggest(world)
    client = login(world.enterprise_admin)
    events = Event.objects.count()
    response = client.post(f"/suggestions/{row.pk}/decide/", {"decide-decision": "reject", "decide-reason": ""})
    assert "此项必填。" in text(response)
    row.refresh_from_db()
    assert row.state == "submitted" and Event.objects.count() == events
    client.post(f"/suggestions/{row.pk}/decide/", {"decide-decision": "reject", "decide-reason": "成本过高。"})
    row.refresh_from_db()
    assert row.state == "rejected" and row.review_reason == "成本过高。"
    assert "成本过高。" in text(login(world.worker).get(f"/suggestions/{row.pk}/"))


@pytest.mark.parametrize("amount,message", [("abc", "金额格式不正确"), ("-5", "金额不能为负数。"),
                                            ("1.234", "金额最多保留两位小数。")])
def test_bad_amounts_are_refused_beside_the_field(world, login, amount, message):
    row = suggest(world)
    actions.decide_suggestion(world.enterprise_admin, row, True, "")
    response = login(world.enterprise_admin).post(f"/suggestions/{row.pk}/implement/", {"implement-benefit": amount})
    assert message in text(response) and f'value="{amount}"' in text(response)
    row.refresh_from_db()
    assert row.state == "adopted" and row.benefit_fen == 0


def test_a_worker_cannot_review(world, login):
    row = suggest(world)
    client = login(world.worker)
    assert "/decide/" not in text(client.get(f"/suggestions/{row.pk}/"))
    response = client.post(f"/suggestions/{row.pk}/decide/", {"decide-decision": "adopt", "decide-reason": ""})
    assert response.status_code == 403 and "只有本企业的管理人员可以评审和登记。" in text(response)
    row.refresh_from_db()
    assert row.state == "submitted"


def test_an_illegal_step_is_refused_in_chinese(world, login):
    row = suggest(world)
    response = login(world.enterprise_admin).post(f"/suggestions/{row.pk}/reward/", {"reward-reward": "100"})
    assert "该建议当前状态为“已提交”，不能进行此操作。" in text(response)


def test_statistics_and_the_ranking_of_teams(world, login):
    rows = [suggest(world, "一班", "建议一"), suggest(world, "二班", "建议二"), suggest(world, "二班", "建议三"),
            suggest(world, "三班", "建议四")]
    admin = world.enterprise_admin
    for row, benefit in ((rows[0], 100000), (rows[1], 300000), (rows[2], 50000)):
        actions.decide_suggestion(admin, row, True, "")
        actions.implement_suggestion(admin, row, benefit)
    actions.reward_suggestion(admin, rows[1], 20000)
    page = text(login(admin).get(f"/suggestions/stats/{world.enterprise_a.pk}/"))
    assert 'id="stat-submitted">4<' in page and 'id="stat-adopted">3<' in page
    assert 'id="stat-benefit">¥4,500.00<' in page and 'id="stat-rewards">¥200.00<' in page
    table = page.split('id="teams-table"')[1].split("</table>")[0]
    assert table.index("二班") < table.index("一班") < table.index("三班")
    assert "¥3,500.00" in table and '<script src="/static/vendor/echarts/echarts.min.js"' in page


def test_an_outsider_gets_404(world, login):
    row = suggest(world)
    client = login(world.outsider)
    assert client.get(f"/suggestions/{row.pk}/").status_code == 404
    assert client.get(f"/suggestions/stats/{world.enterprise_a.pk}/").status_code == 404
    assert client.post(f"/suggestions/{row.pk}/decide/", {"decide-decision": "adopt"}).status_code == 404
