"""Who reads what: all-worker matters for the enterprise's workers; delegates' matters only for
delegates; managers' matters only for managers (department members) and those who run or
oversee the enterprise. A reader outside the audience gets 404, as an outsider does."""

from datetime import date

import pytest

from zhigong.core import actions as core
from zhigong.core.errors import NotFound
from zhigong.disclosure import actions, queries
from zhigong.disclosure.tests.conftest import publish


@pytest.fixture
def three(world, dw):
    everyone = publish(world, dw, "safety", "2026-Q1")
    delegates = publish(world, dw, "leaders_pay", "2026")
    own = actions.add_matter(world.enterprise_admin, world.enterprise_a, "中层干部考核结果", "pay", "yearly",
                             "managers")
    managers = actions.publish(world.enterprise_admin, own, "2026年中层干部考核结果", "见正文。", period="2026")
    return everyone, delegates, managers


def _readable(user, publications) -> list[bool]:
    def ok(p):
        try:
            queries.access_publication(user, p.pk)
            return True
        except NotFound:
            return False
    return [ok(p) for p in publications]


def _delegate(world):
    from zhigong.democracy import actions as congress
    congress_row = congress.create_congress(world.enterprise_admin, world.enterprise_a)
    term = congress.start_term(world.enterprise_admin, congress_row, 1, date(2025, 1, 1), date(2029, 12, 31), 350, 140)
    place = congress.add_constituency(world.enterprise_admin, term, "一车间", "workshop", 70)
    congress.elect_delegate(world.enterprise_admin, place, world.worker_person, date(2025, 1, 1), 40, 70)


def test_each_audience_reaches_its_readers(world, dw, three):
    assert _readable(world.worker, three) == [True, False, False]
    assert _readable(dw.clerk, three) == [True, False, True]  # a department member reads as a manager
    for overseer in (world.enterprise_admin, world.cadre_a, world.auditor, world.province_cadre):
        assert _readable(overseer, three) == [True, True, True]
    assert _readable(world.outsider, three) == [False, False, False]
    assert [p.pk for p in queries.publications(world.worker, world.enterprise_a)] == [three[0].pk]


def test_a_delegate_reads_the_delegates_matters(world, dw, three):
    _delegate(world)
    assert _readable(world.worker, three) == [True, True, False]
    assert len(queries.feed(world.worker)) == 2


def test_outside_the_audience_one_cannot_acknowledge_or_ask(world, dw, three):
    with pytest.raises(NotFound):
        actions.acknowledge(world.worker, three[2])
    with pytest.raises(NotFound):
        actions.ask(world.worker, three[1], "为什么？")
    other = core.create_account(world.admin, "stranger", "Zhigong-test-2026")
    assert _readable(other, three) == [False, False, False]
