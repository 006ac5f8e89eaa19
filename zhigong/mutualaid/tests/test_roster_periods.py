"""Coverage periods after enrolment: collective enrolment from the member register with the
participation warning, renewal of a whole enterprise without a new waiting period, leaving
(cover runs to the end of the paid period) and moving to another enterprise without a break."""

from datetime import date, timedelta

import pytest

from zhigong.core import actions as core
from zhigong.core.errors import DomainError
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid import queries_roster
from zhigong.mutualaid.models import Coverage, Enrolment, Invoice, InvoiceLine
from zhigong.mutualaid.tests.roster_fixtures import (
    START,
    TODAY,
    add_version,
    build,
    county_pool,
    person_id,
    row,
    upload,
    xlsx,
)


@pytest.fixture
def rw(world):
    return build(world)


def imported(rw, rows, enterprise=None, actor=None, starts_on=START, today=TODAY):
    enterprise = enterprise or rw.world.enterprise_a
    actor = actor or rw.world.admin
    found = actions.check_roster(actor, enterprise, upload(xlsx(rows)), starts_on, today=today)
    actions.import_roster(actor, found, today=today)
    return Coverage.objects.filter(enterprise=enterprise).order_by("id")


def test_collective_enrolment_takes_every_member_and_warns_below_the_minimum(rw):
    world = rw.world
    old = core.register_person(world.admin, world.enterprise_a, "老刘", person_id(9, birth=date(1962, 5, 1)))
    core.join_union(world.admin, old, world.union_a, date(2010, 1, 1))
    result = actions.enrol_members(world.enterprise_admin, world.enterprise_a, rw.plan, START, today=TODAY)
    assert result.written == 1 and [r["code"] for r in result.refused] == ["eligibility.age"]
    cover = Coverage.objects.get()
    assert (cover.person, cover.shares, cover.waiting_ends_on) == (world.worker_person, 1, START + timedelta(days=90))
    assert result.participation == {**result.participation, "covered": 1, "members": 2, "rate": 50,
                                    "minimum": 80, "below": True}
    again = actions.enrol_members(world.enterprise_admin, world.enterprise_a, rw.plan, START, today=TODAY)
    assert (again.written, again.already) == (0, 1)


def test_participation_without_warning_at_the_minimum(rw):
    world = rw.world
    actions.enrol_members(world.enterprise_admin, world.enterprise_a, rw.plan, START, today=TODAY)
    enrolment = Enrolment.objects.get()
    figures = queries_roster.participation(enrolment, START)
    assert (figures["rate"], figures["below"]) == (100, False)


def test_renewal_moves_the_whole_enterprise_on_without_waiting_again(rw):
    world = rw.world
    add_version(rw.plan, date(2027, 1, 1), waiting_days=90, max_shares=2)
    imported(rw, [row(1, shares=3), row(2), row(3, 身份证号=person_id(3, birth=date(1965, 12, 15)))])
    first = Enrolment.objects.get()
    result = actions.renew_enrolment(world.enterprise_admin, first, today=date(2026, 12, 1))
    new = result.enrolment
    assert (new.starts_on, new.ends_on, new.version.label, new.renewed_from) == (
        date(2027, 1, 1), date(2027, 12, 31), "2027年度", first)
    renewed = new.coverages.order_by("person__name")
    assert [(c.person.name, c.shares, c.waiting_ends_on, c.renewed_from.enrolment) for c in renewed] == [
        ("职工1", 2, date(2027, 1, 1), first), ("职工2", 1, date(2027, 1, 1), first)]
    assert [r["name"] for r in result.refused] == ["职工3"]  # 60 when enrolled, 61 at the renewal
    with pytest.raises(DomainError) as twice:
        actions.renew_enrolment(world.enterprise_admin, first, today=date(2026, 12, 1))
    assert twice.value.code == "renewal.done"


def test_renewal_keeps_the_version_in_force_when_there_is_no_newer_one(rw):
    imported(rw, [row(1)])
    result = actions.renew_enrolment(rw.world.enterprise_admin, Enrolment.objects.get(), today=date(2026, 12, 1))
    assert result.enrolment.version == rw.version and result.written == 1


def test_a_fresh_roster_for_the_next_period_continues_cover_without_waiting(rw):
    add_version(rw.plan, date(2027, 1, 1))
    imported(rw, [row(1)])
    cover = imported(rw, [row(1), row(2)], starts_on=date(2027, 1, 1), today=date(2026, 12, 1))
    cover = cover.filter(starts_on=date(2027, 1, 1))
    first, second = list(cover.order_by("person__name"))
    assert first.renewed_from is not None and first.waiting_ends_on == date(2027, 1, 1)
    assert second.renewed_from is None and second.waiting_ends_on == date(2027, 1, 1) + timedelta(days=90)


def test_leaving_runs_to_the_end_of_the_paid_period(rw):
    world = rw.world
    a, b = imported(rw, [row(1), row(2)])
    invoice = Invoice.objects.create(number="T-1", enrolment=a.enrolment, enterprise=world.enterprise_a,
                                     period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
                                     due_on=date(2026, 1, 15), grace_until=date(2026, 2, 15),
                                     state=Invoice.State.PAID, region_code="320102")
    InvoiceLine.objects.create(invoice=invoice, coverage=a)
    left = actions.leave(world.enterprise_admin, a, date(2026, 3, 10), today=date(2026, 3, 11))
    assert (left.left_on, left.ends_on, left.state, left.end_reason) == (
        date(2026, 3, 10), date(2026, 6, 30), Coverage.State.ACTIVE, "left")
    unpaid = actions.leave(world.enterprise_admin, b, date(2026, 3, 10), today=date(2026, 3, 11))
    assert (unpaid.ends_on, unpaid.state) == (date(2026, 3, 10), Coverage.State.ENDED)
    with pytest.raises(DomainError) as twice:
        actions.leave(world.enterprise_admin, b, date(2026, 3, 12), today=date(2026, 3, 12))
    assert twice.value.code == "coverage.ended"


def test_leaving_before_the_start_is_refused(rw):
    cover = imported(rw, [row(1)]).get()
    with pytest.raises(DomainError) as refused:
        actions.leave(rw.world.enterprise_admin, cover, date(2025, 12, 1), today=TODAY)
    assert refused.value.code == "leave.before_start" and refused.value.field == "left_on"


def test_moving_continues_cover_the_next_day_without_a_new_waiting_period(rw):
    world = rw.world
    county_pool(world.county_b, [rw.plan])
    old = imported(rw, [row(1)]).get()
    new = actions.move(world.admin, old, world.enterprise_b, date(2026, 5, 31), today=date(2026, 5, 20))
    old.refresh_from_db()
    assert (old.ends_on, old.left_on, old.end_reason) == (date(2026, 5, 31), date(2026, 5, 31), "moved")
    assert (new.enterprise, new.starts_on, new.waiting_ends_on, new.renewed_from) == (
        world.enterprise_b, date(2026, 6, 1), date(2026, 6, 1), old)
    assert new.enrolment.pool.federation == world.county_b
    assert new.ends_on == new.enrolment.ends_on == date(2027, 5, 31)


def test_moving_needs_rights_over_both_enterprises_and_a_pool_there(rw):
    world = rw.world
    old = imported(rw, [row(1)]).get()
    with pytest.raises(DomainError) as refused:
        actions.move(world.enterprise_admin, old, world.enterprise_b, date(2026, 5, 31), today=date(2026, 5, 20))
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as no_pool:
        actions.move(world.admin, old, world.enterprise_b, date(2026, 5, 31), today=date(2026, 5, 20))
    assert no_pool.value.code == "move.no_plan"
    assert Coverage.objects.get() == old and old.left_on is None


def test_one_worker_typed_in_takes_the_same_checks(rw):
    world = rw.world
    fields = {"name": "赵六", "id_number": person_id(11), "mobile": "13900001111", "employment_start": "2020-03-01",
              "monthly_wage": "5000", "plan": "t-zhongji", "shares": ""}
    cover = actions.enrol_worker(world.enterprise_admin, world.enterprise_a, fields, START, today=TODAY)
    assert (cover.person.name, cover.shares, cover.monthly_wage_fen) == ("赵六", 1, 500000)
    with pytest.raises(DomainError) as bad:
        actions.enrol_worker(world.enterprise_admin, world.enterprise_a, {**fields, "id_number": "320102"}, START,
                             today=TODAY)
    assert (bad.value.code, bad.value.field) == ("id_number.length", "id_number")
    with pytest.raises(DomainError) as twice:
        actions.enrol_worker(world.enterprise_admin, world.enterprise_a, fields, START, today=TODAY)
    assert twice.value.code == "coverage.exists"
