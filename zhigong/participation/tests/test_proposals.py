"""A proposal from draft to closed, with every refusal the issue names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Notification
from zhigong.participation import actions, queries
from zhigong.participation.models import Proposal, ProposalSigner
from zhigong.participation.tests.conftest import draft
from zhigong.trail.models import Event


def test_full_lifecycle(vw):
    cw = vw.cw
    p = draft(vw)
    actions.submit(cw.users[0], p)
    assert p.state == "submitted" and p.number.endswith("-001")
    member = cw.users[25]  # a proposal committee member
    actions.start_review(member, p)
    actions.accept(member, p)
    actions.assign(member, p, vw.production, [vw.logistics])
    assert p.state == "assigned" and p.due_on == timezone.localdate() + timedelta(days=30)
    assert Notification.objects.filter(user=vw.clerk, title__contains="交办").exists()
    actions.answer(vw.clerk, p, "已调研，拟于下月起上调。", "修订津贴办法，7月起执行。")
    actions.report_progress(vw.clerk, p, 50, "办法已修订。")
    actions.report_progress(vw.clerk, p, 100, "已按新标准发放。")
    assert p.state == "carried_out" and p.updates.count() == 2
    actions.rate(cw.users[0], p, "satisfied")
    assert (p.state, p.rating) == ("closed", "satisfied")
    verbs = list(Event.objects.filter(object_type="participation.proposal", object_id=str(p.pk))
                 .order_by("seq").values_list("verb", flat=True))
    assert verbs[:2] == ["proposal.draft", "proposal.cosign"] and verbs[-1] == "proposal.rate"


def test_not_satisfied_gets_one_second_answer(vw):
    cw = vw.cw
    p = draft(vw)
    actions.submit(cw.users[0], p)
    for verb in (actions.start_review, actions.accept):
        verb(cw.chair, p)
    actions.assign(cw.chair, p, vw.production, [])
    actions.answer(vw.clerk, p, "答复一", "措施一")
    actions.report_progress(vw.clerk, p, 100, "完成")
    actions.rate(cw.users[0], p, "not_satisfied")
    assert p.state == "assigned" and p.second_answer_used and p.progress == 0
    actions.answer(vw.clerk, p, "答复二", "措施二")
    actions.report_progress(vw.clerk, p, 100, "再次完成")
    actions.rate(cw.users[0], p, "not_satisfied")
    assert p.state == "closed" and p.rating == "not_satisfied"


def test_cannot_submit_without_enough_cosigners(vw):
    p = draft(vw, cosigners=(1,))
    with pytest.raises(DomainError) as err:
        actions.submit(vw.cw.users[0], p)
    assert err.value.code == "proposal.cosigners" and "2" in str(err.value.message)
    p.refresh_from_db()
    assert p.state == "draft"


@pytest.mark.parametrize("who,code", [(0, "cosign.own_proposal"), (1, "cosign.twice")])
def test_cosign_refusals(vw, who, code):
    p = draft(vw, cosigners=(1,))
    with pytest.raises(DomainError) as err:
        actions.cosign(vw.cw.users[who], p)
    assert err.value.code == code
    assert p.signers.count() == 2


def test_a_non_delegate_cannot_cosign(vw, world):
    p = draft(vw, cosigners=())
    with pytest.raises(DomainError) as err:
        actions.cosign(world.worker, p)
    assert err.value.code == "cosign.not_delegate"


def test_window_closed(vw):
    today = timezone.localdate()
    actions.set_window(vw.cw.chair, vw.cw.session, today - timedelta(days=30), today - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        actions.submit(vw.cw.users[0], draft(vw))
    assert err.value.code == "proposal.window_closed"


def test_illegal_transitions_are_refused_clearly(vw):
    p = draft(vw)
    with pytest.raises(DomainError) as err:
        actions.accept(vw.cw.chair, p)
    assert err.value.code == "proposal.illegal_transition" and "草稿" in str(err.value.message)
    with pytest.raises(PermissionDenied):
        actions.start_review(vw.cw.users[5], p)  # an ordinary delegate is not the committee


def test_convert_tells_the_proposer_why(vw):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    actions.start_review(vw.cw.chair, p)
    actions.convert(vw.cw.chair, p, "属于日常管理事项，转职能部门作为意见建议办理。")
    assert p.state == "converted" and p.committee_reason.startswith("属于")
    assert Notification.objects.filter(user=vw.cw.users[0], body__startswith="属于").exists()


def test_merge_keeps_all_proposers(vw):
    a = draft(vw, 0)
    b = draft(vw, 3, title="关于上调夏季高温补贴的提案", cosigners=(4, 5))
    for p, i in ((a, 0), (b, 3)):
        actions.submit(vw.cw.users[i], p)
    actions.merge(vw.cw.chair, b, a)
    assert b.state == "merged" and b.merged_into == a
    proposers = set(a.signers.filter(role=ProposalSigner.Role.PROPOSER).values_list("delegate_id", flat=True))
    assert proposers == {vw.cw.delegates[0].pk, vw.cw.delegates[3].pk}
    assert a.signers.count() == 6


def test_overdue_is_flagged_and_the_union_told_once(vw, world):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    actions.start_review(vw.cw.chair, p)
    actions.accept(vw.cw.chair, p)
    today = timezone.localdate()
    actions.assign(vw.cw.chair, p, vw.production, [], due_on=today)
    assert not queries.is_overdue(p, today)
    later = today + timedelta(days=1)
    assert queries.is_overdue(p, later)
    assert actions.remind_overdue(later) == 1
    assert actions.remind_overdue(later) == 0
    assert Notification.objects.filter(user=world.enterprise_admin, title__contains="逾期").count() == 1
    assert Notification.objects.filter(user=vw.clerk, title__contains="逾期").count() == 1


def test_progress_cannot_go_backwards_and_is_bounded(vw):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    actions.start_review(vw.cw.chair, p)
    actions.accept(vw.cw.chair, p)
    actions.assign(vw.cw.chair, p, vw.production, [])
    actions.answer(vw.clerk, p, "答复", "措施")
    actions.report_progress(vw.clerk, p, 60, "过半")
    for bad in (40, 101):
        with pytest.raises(DomainError):
            actions.report_progress(vw.clerk, p, bad, "x")
    assert p.updates.count() == 1


def test_search_and_board(vw):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    q = draft(vw, 3, title="关于改善职工食堂伙食的提案", cosigners=(4, 5), cause="菜品单一，价格偏高。",
              measures="引入招标和职工评议。")
    actions.submit(vw.cw.users[3], q)
    chair = vw.cw.chair
    assert list(queries.search(chair, "津贴")) == [p]
    assert list(queries.search(chair, "食堂伙食")) == [q]
    assert list(queries.search(chair, "高温 津贴")) == [p]
    assert set(queries.search(chair, "", category="wages")) == {p, q}
    board = queries.board(chair, vw.cw.congress.pk)
    assert board["states"]["submitted"] == 2 and board["on_time_rate"] is None
    similar = queries.similar(chair, vw.cw.congress.pk, "天气热，希望上调高温补贴")
    assert similar[0]["proposal"] == p


def test_outsider_sees_no_proposal(vw, world):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    assert not queries.visible(world.outsider, Proposal).exists()
    assert p in set(queries.visible(world.worker, Proposal))


def test_board_counts_every_proposal_even_with_equal_values(vw):
    """Two proposals due the same day and rated alike are two, not one (no DISTINCT collapse)."""
    chair = vw.cw.chair
    made = []
    for i, cosigners in ((0, (1, 2)), (3, (4, 5))):
        p = draft(vw, i, title=f"提案{i}", cosigners=cosigners, cause=f"理由{i}", measures=f"措施{i}")
        actions.submit(vw.cw.users[i], p)
        actions.start_review(chair, p)
        actions.accept(chair, p)
        actions.assign(chair, p, vw.production, [])
        actions.answer(vw.clerk, p, "答复", "措施")
        actions.report_progress(vw.clerk, p, 100, "完成")
        actions.rate(vw.cw.users[i], p, "satisfied")
        made.append(p)
    board = queries.board(chair, vw.cw.congress.pk)
    assert (board["due"], board["on_time"], board["rated"], board["satisfied"]) == (2, 2, 2, 2)
    assert board["states"]["closed"] == 2
