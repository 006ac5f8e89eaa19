"""Convening, check-in and the quorum of 2/3 of ALL delegates."""

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.democracy import actions
from zhigong.democracy.models import Session
from zhigong.democracy.tests.conftest import start
from zhigong.trail.models import Event

APPROVE = ("集体合同草案", "approve", {"matter": "collective_contract"})


def test_general_assembly_below_100_workers(world):
    world.enterprise_b.employee_count = 80
    world.enterprise_b.save()
    congress = actions.create_congress(world.admin, world.enterprise_b)
    assert congress.form == "general_assembly" and congress.name.endswith("职工大会")


def test_session_opens_with_exactly_two_thirds(cw):
    # 40 delegates: ceil(80/3) = 27
    session = start(cw, present=27, items=[APPROVE])
    assert session.status == Session.Status.OPEN and session.delegates_total == 40
    assert Event.objects.filter(verb="congress.session.open", object_id=str(session.pk)).exists()


def test_session_does_not_open_one_short(cw):
    actions.add_agenda_item(cw.chair, cw.session, *APPROVE[:2], **APPROVE[2])
    actions.convene_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    for user in cw.users[:26]:
        actions.check_in(user, cw.session, cw.session.check_in_code)
    assert actions.attendance(cw.session) == {"delegates": 40, "present": 26, "needed": 27,
                                              "still_needed": 1, "quorum": False}
    with pytest.raises(DomainError) as err:
        actions.open_session(cw.chair, cw.session)
    assert err.value.code == "congress.quorum_not_met" and "27" in str(err.value.message)
    cw.session.refresh_from_db()
    assert cw.session.status == Session.Status.CONVENED


def test_check_in_code_and_duplicates(cw):
    actions.add_agenda_item(cw.chair, cw.session, *APPROVE[:2], **APPROVE[2])
    with pytest.raises(DomainError):
        actions.check_in(cw.users[0], cw.session, "000000")  # not yet convened
    actions.convene_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    wrong = "1" + cw.session.check_in_code[1:] if cw.session.check_in_code[0] != "1" else "2" + cw.session.check_in_code[1:]
    with pytest.raises(DomainError) as err:
        actions.check_in(cw.users[0], cw.session, wrong)
    assert err.value.code == "check_in.code"
    actions.check_in(cw.users[0], cw.session, cw.session.check_in_code)
    with pytest.raises(DomainError) as err:
        actions.check_in(cw.users[0], cw.session, cw.session.check_in_code)
    assert err.value.code == "check_in.duplicate"
    actions.check_in(cw.chair, cw.session, delegate=cw.delegates[1])  # secretariat
    assert cw.session.check_ins.count() == 2
    with pytest.raises(PermissionDenied):
        actions.check_in(cw.users[2], cw.session, delegate=cw.delegates[3])  # a delegate cannot sign for another


def test_convening_is_blocked_by_a_hard_composition_rule(world):
    from zhigong.democracy.tests.conftest import build_congress

    cw = build_congress(world, delegates=29)  # fewer than the minimum of 30
    actions.add_agenda_item(cw.chair, cw.session, *APPROVE[:2], **APPROVE[2])
    checks = {c.code: c for c in actions.composition(cw.term)}
    assert not checks["composition.delegate_count"].ok
    assert (checks["composition.delegate_count"].figure, checks["composition.delegate_count"].threshold) == (29, 30)
    with pytest.raises(DomainError) as err:
        actions.convene_session(cw.chair, cw.session)
    assert err.value.code == "session.composition"
    assert str(err.value.message) == "代表构成不符合规定：代表人数为29人，要求不少于30人，不能召开会议。"


def test_composition_of_the_standing_congress_passes(cw):
    assert all(c.ok for c in actions.composition(cw.term) if c.hard)


def test_interim_session_needs_a_third_of_delegates(cw):
    with pytest.raises(DomainError) as err:
        actions.schedule_session(cw.chair, cw.term, "临时会议", cw.session.starts_at, kind="interim")
    assert err.value.code == "session.interim_not_requested"
    for user in cw.users[:13]:  # ceil(40/3) = 14
        actions.request_interim_session(user, cw.term, "delegate", "讨论停产安置方案")
    assert actions.interim_support(cw.term)["enough"] is False
    with pytest.raises(DomainError):
        actions.request_interim_session(cw.users[0], cw.term, "delegate", "再提一次")
    actions.request_interim_session(cw.users[13], cw.term, "delegate", "讨论停产安置方案")
    support = actions.interim_support(cw.term)
    assert (support["delegate_requests"], support["needed"], support["enough"]) == (14, 14, True)
    session = actions.schedule_session(cw.chair, cw.term, "临时会议", cw.session.starts_at, kind="interim")
    assert session.requests.count() == 14 and actions.interim_support(cw.term)["delegate_requests"] == 0


def test_union_request_is_enough(cw):
    actions.request_interim_session(cw.chair, cw.term, "union", "工会提议")
    assert actions.interim_support(cw.term)["enough"]


def test_outsiders_cannot_run_the_congress(cw, world):
    for user in (world.outsider, world.auditor, world.worker, cw.users[0]):
        with pytest.raises(PermissionDenied):
            actions.convene_session(user, cw.session)
