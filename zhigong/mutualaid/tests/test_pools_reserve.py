"""Pools of a federation tree with their books; reserve_for_claim pays from the county pool,
draws a small shortfall from the city automatically and refuses a large one until a fund
approver of the city approves the requested transfer."""

from datetime import date

import pytest
from django.db import transaction

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import RuleRow
from zhigong.mutualaid import actions_pools, ledgering, queries_pools
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import Claim, Pool, PoolTransfer
from zhigong.mutualaid.tests import pools_setup

DAY = date(2026, 6, 20)


@pytest.fixture
def fund(world):
    return pools_setup.build(world)


def _fill(fund, pool: Pool, fen: int) -> None:
    ledgering.post(fund.world.admin, pool.book, date(2026, 2, 1), "缴费入账",
                   [debit(chart.BANK, fen), credit(chart.CONTRIBUTIONS, fen)])


def _claim(fund, number="C1") -> Claim:
    world = fund.world
    return Claim.objects.create(
        number=number, person=world.worker_person, coverage=fund.coverages[0], version=fund.version,
        enterprise=world.enterprise_a, pool=fund.county, submitted_by=world.worker, channel=Claim.Channel.WORKER,
        event_on=date(2026, 6, 1), bank_name="工行", account_holder="张伟", account_cipher=b"x", account_index="i",
        account_masked="6222****", region_code="320102")


def _reserve(fund, fen, claim):
    with transaction.atomic():
        return actions_pools.reserve_for_claim(fund.approver, fund.county, fen, claim, DAY)


def test_a_tree_gets_linked_pools_each_with_its_own_book(fund, world):
    assert fund.county.parent == fund.city and fund.city.parent == fund.province and fund.province.parent is None
    pools = Pool.objects.filter(plans=fund.plan)
    assert {p.federation_id for p in pools} == {world.province.pk, world.city.pk, world.county_a.pk, world.county_b.pk}
    assert len({p.book_id for p in pools}) == 4
    assert fund.county.book.owner == world.county_a and fund.county.level == "county"
    again = actions_pools.create_pools(world.province_cadre, world.province, [fund.plan])
    assert Pool.objects.count() == 4 and {p.pk for p in again} == {p.pk for p in pools}
    assert queries_pools.pool_for(world.enterprise_a, fund.plan) == fund.county


def test_a_county_cadre_cannot_create_the_city_pool(world):
    from zhigong.mutualaid.models import Plan

    with pytest.raises(PermissionDenied):
        actions_pools.create_pools(world.cadre_a, world.county_a, [Plan.objects.first()])
    assert not Pool.objects.exists()


def test_paid_from_the_county_pool_when_it_has_the_money(fund):
    _fill(fund, fund.county, 100_000)
    reservation = _reserve(fund, 35_000, _claim(fund))
    assert reservation.transfer is None
    assert actions_pools.available_fen(fund.county) == 65_000
    legs = sorted(reservation.entry.legs.values_list("account__code", "amount_fen"))
    assert legs == [(chart.CLAIMS_PAYABLE, -35_000), (chart.BENEFITS, 35_000)]


def test_reserving_twice_for_one_claim_posts_once(fund):
    _fill(fund, fund.county, 100_000)
    claim = _claim(fund)
    first, second = _reserve(fund, 35_000, claim), _reserve(fund, 35_000, claim)
    assert first.entry.pk == second.entry.pk and actions_pools.available_fen(fund.county) == 65_000


def test_a_small_shortfall_is_drawn_from_the_city_automatically(fund):
    _fill(fund, fund.county, 10_000)
    _fill(fund, fund.city, 1_000_000)
    reservation = _reserve(fund, 35_000, _claim(fund))
    transfer = reservation.transfer
    assert transfer.automatic and transfer.state == PoolTransfer.State.POSTED and transfer.amount_fen == 25_000
    assert transfer.source == fund.city and transfer.entry_out.book == fund.city.book
    assert transfer.entry_in.book == fund.county.book
    assert actions_pools.available_fen(fund.county) == 0
    assert actions_pools.available_fen(fund.city) == 975_000


def test_a_shortfall_above_the_limit_needs_an_approved_transfer(fund, world):
    RuleRow.objects.filter(key="mutualaid.shortfall_auto_limit").update(value=20_000)
    _fill(fund, fund.county, 10_000)
    _fill(fund, fund.city, 1_000_000)
    claim = _claim(fund)
    with pytest.raises(DomainError) as refused:
        _reserve(fund, 35_000, claim)
    assert refused.value.code == "mutualaid.pool_short" and refused.value.details["shortfall_fen"] == 25_000
    assert not PoolTransfer.objects.exists() and actions_pools.available_fen(fund.county) == 10_000
    transfer = actions_pools.request_transfer(fund.treasurer, fund.county, 25_000, "住院津贴缺口", claim)
    with pytest.raises(PermissionDenied):
        actions_pools.approve_transfer(fund.treasurer, transfer)
    actions_pools.approve_transfer(fund.approver, transfer, DAY)
    transfer.refresh_from_db()
    assert transfer.state == PoolTransfer.State.POSTED and transfer.decided_by == fund.approver
    assert _reserve(fund, 35_000, claim).transfer is None
    assert actions_pools.available_fen(fund.county) == 0


def test_no_automatic_draw_when_the_city_has_not_the_money(fund):
    _fill(fund, fund.county, 10_000)
    with pytest.raises(DomainError) as refused:
        _reserve(fund, 35_000, _claim(fund))
    assert refused.value.code == "mutualaid.pool_short"


def test_an_approval_beyond_the_upper_pool_is_refused_and_a_refusal_keeps_its_reason(fund):
    transfer = actions_pools.request_transfer(fund.treasurer, fund.county, 25_000, "缺口")
    with pytest.raises(DomainError) as short:
        actions_pools.approve_transfer(fund.approver, transfer, DAY)
    assert short.value.code == "mutualaid.upper_pool_short"
    actions_pools.refuse_transfer(fund.approver, transfer, "上级资金池余额不足")
    transfer.refresh_from_db()
    assert transfer.state == PoolTransfer.State.REFUSED and transfer.refusal_reason == "上级资金池余额不足"
    with pytest.raises(DomainError):
        actions_pools.approve_transfer(fund.approver, transfer, DAY)

