"""On PostgreSQL, officers approving at the same moment: claims of the same worker never exceed
the yearly cap together (the coverage row is the lock), and a pool never goes below zero (M1's
pool chain lock; only a recorded transfer from above adds money)."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum

from zhigong.conftest import PASSWORD, build_world
from zhigong.core import actions as core
from zhigong.core.errors import DomainError
from zhigong.core.identifiers import id_number
from zhigong.core.models import Role
from zhigong.ledger import chart
from zhigong.ledger.models import Leg
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid import ledgering
from zhigong.mutualaid.models import Claim, PoolTransfer
from zhigong.mutualaid.tests import claims_setup as setup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(calls) -> list:
    """Run the calls in threads released together; each returns its result or its DomainError."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except DomainError as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _officers(cw, n: int) -> list:
    officers = [cw.reviewer, cw.approver]
    for i in range(len(officers), n):
        user = core.create_account(cw.world.admin, f"reviewer_{i}", PASSWORD)
        core.grant_role(cw.world.admin, user, Role.FUND_REVIEWER, cw.world.county_a)
        officers.append(user)
    return officers[:n]


@pytest.fixture
def world():
    assert connection.vendor == "postgresql", "this test needs PostgreSQL's row locks"
    return build_world()


def test_two_officers_approving_the_same_workers_claims_never_exceed_the_yearly_cap(world):
    cw = setup.build(world)
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    stays = [(date(2026, 2, 1), 60), (date(2026, 5, 1), 40), (date(2026, 7, 1), 30), (date(2026, 9, 1), 20)]
    claims = [actions.submit_claim(world.worker, setup.stay(coverage, day, days)) for day, days in stays]
    assert sum(c.computed_fen for c in claims) == 285000 + 185000 + 135000 + 85000  # 6,900 元 asked
    officers = _officers(cw, len(claims))
    results = _at_once([lambda o=o, c=c: actions.approve_claim(o, c) for o, c in zip(officers, claims, strict=True)])
    approved = Claim.objects.filter(coverage=coverage, state="approved")
    assert approved.aggregate(s=Sum("approved_fen"))["s"] == 450000  # exactly the cap, never more
    refused = [r for r in results if isinstance(r, DomainError)]
    assert {r.code for r in refused} <= {"claim.nothing_payable"}
    assert approved.count() + len(refused) == len(claims)
    payable = Leg.objects.filter(book=cw.county_pool.book, account__code=chart.CLAIMS_PAYABLE)
    assert payable.aggregate(s=Sum("amount_fen"))["s"] == -450000


def _claims_of_six_workers(cw, world) -> list[Claim]:
    claims = []
    for i in range(6):
        person = core.register_person(world.admin, world.enterprise_a, f"职工{i}",
                                      id_number("320102", date(1985, 1, 1 + i), 300 + 2 * i, male=True), "")
        core.start_employment(world.admin, person, world.enterprise_a, date(2015, 1, 1), "labour_contract", 500000)
        core.join_union(world.admin, person, world.union_a, date(2015, 2, 1))
        coverage = setup.cover(cw, "zgbx-zhuyuan", person=person)
        claims.append(actions.submit_claim(world.enterprise_admin, setup.stay(coverage, date(2026, 5, 1), 10)))
    return claims


def test_a_pool_never_goes_below_zero_when_officers_approve_at_once(world):
    cw = setup.build(world, bank_fen=100000)  # 1,000 元 for claims of 350 元 each
    claims = _claims_of_six_workers(cw, world)
    officers = _officers(cw, len(claims))
    results = _at_once([lambda o=o, c=c: actions.approve_claim(o, c) for o, c in zip(officers, claims, strict=True)])
    approved = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(approved) == 2 and {r.code for r in refused} == {"mutualaid.pool_short"}
    assert ledgering.available_fen(cw.county_pool.book) == 100000 - 2 * 35000 >= 0
    assert not PoolTransfer.objects.exists()  # nothing above to draw from: no money appears
    states = sorted(Claim.objects.values_list("state", flat=True))
    assert states == ["approved"] * 2 + ["submitted"] * 4


def test_a_short_pool_is_topped_up_only_by_recorded_transfers_from_above(world):
    cw = setup.build(world, bank_fen=50000)  # 500 元 below, 2,100 元 asked
    setup.fund(world.admin, cw.pools["city"], 10_000_000)
    claims = _claims_of_six_workers(cw, world)
    officers = []
    for i in range(len(claims)):  # officers of the city: the draw posts into the city pool's book
        user = core.create_account(world.admin, f"city_reviewer_{i}", PASSWORD)
        core.grant_role(world.admin, user, Role.FUND_REVIEWER, world.city)
        officers.append(user)
    results = _at_once([lambda o=o, c=c: actions.approve_claim(o, c) for o, c in zip(officers, claims, strict=True)])
    assert all(isinstance(r, Claim) for r in results), results
    drawn = PoolTransfer.objects.filter(target=cw.county_pool, state="posted", automatic=True)
    total_drawn = drawn.aggregate(s=Sum("amount_fen"))["s"]
    assert total_drawn == 6 * 35000 - 50000  # exactly the shortfall, each draw recorded
    assert all(t.entry_in_id and t.entry_out_id for t in drawn)
    assert ledgering.available_fen(cw.county_pool.book) == 0
    assert ledgering.available_fen(cw.pools["city"].book) == 10_000_000 - total_drawn
