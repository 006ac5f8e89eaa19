"""Two officers approve claims on the same county pool at the same moment on PostgreSQL; the
pool can pay only one of them. The pool chain is locked in key order, so exactly one
reservation succeeds, the other is refused for the shortfall, and the available balance never
goes below zero. Then many at once with an automatic draw from the city: the city is drawn from
exactly as much as the county lacked."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections, transaction

from zhigong.core.errors import DomainError
from zhigong.core.models import RuleRow
from zhigong.mutualaid import actions_pools, ledgering
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import Claim, PoolTransfer
from zhigong.mutualaid.tests import pools_setup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = date(2026, 6, 20)


def _claims(fund, count):
    world = fund.world
    return [Claim.objects.create(
        number=f"C{n}", person=world.worker_person, coverage=fund.coverages[0], version=fund.version,
        enterprise=world.enterprise_a, pool=fund.county, submitted_by=world.worker, channel=Claim.Channel.WORKER,
        event_on=date(2026, 6, 1), bank_name="工行", account_holder="张伟", account_cipher=b"x", account_index="i",
        account_masked="6222****", region_code="320102") for n in range(count)]


def _fill(fund, pool, fen):
    ledgering.post(fund.world.admin, pool.book, date(2026, 2, 1), "缴费入账",
                   [debit(chart.BANK, fen), credit(chart.CONTRIBUTIONS, fen)])


def _race(fund, claims, amount):
    outcomes = {"ok": 0, "short": 0, "other": []}
    lock = threading.Lock()
    barrier = threading.Barrier(len(claims))

    def approve(claim):
        barrier.wait()
        try:
            with transaction.atomic():
                actions_pools.reserve_for_claim(fund.approver, fund.county, amount, claim, DAY)
            key = "ok"
        except DomainError as exc:
            key = "short" if exc.code == "mutualaid.pool_short" else None
            if key is None:
                with lock:
                    outcomes["other"].append(exc.code)
        finally:
            connections.close_all()
        if key:
            with lock:
                outcomes[key] += 1

    with ThreadPoolExecutor(max_workers=len(claims)) as pool:
        list(pool.map(approve, claims))
    return outcomes


def test_two_approvals_at_once_never_spend_the_same_money(world):
    fund = pools_setup.build(world)
    RuleRow.objects.filter(key="mutualaid.shortfall_auto_limit").update(value=0)
    _fill(fund, fund.county, 50_000)
    outcomes = _race(fund, _claims(fund, 2), 35_000)
    assert outcomes == {"ok": 1, "short": 1, "other": []}
    assert actions_pools.available_fen(fund.county) == 15_000
    assert connection.vendor == "postgresql"


def test_many_approvals_draw_from_the_city_exactly_what_is_missing(world):
    fund = pools_setup.build(world)
    _fill(fund, fund.county, 100_000)
    _fill(fund, fund.city, 1_000_000)
    outcomes = _race(fund, _claims(fund, 8), 30_000)
    assert outcomes == {"ok": 8, "short": 0, "other": []}
    drawn = sum(PoolTransfer.objects.filter(automatic=True).values_list("amount_fen", flat=True))
    assert drawn == 8 * 30_000 - 100_000
    assert actions_pools.available_fen(fund.county) == 0
    assert actions_pools.available_fen(fund.city) == 1_000_000 - drawn


def test_two_approvals_drawing_through_two_levels_at_once_never_double_draw(world):
    """County short, city short: each approval draws province → city → county. Two at once
    queue on the chain's locks; the second sees what the first drew and draws only its own
    shortfall, so the province gives exactly what the two claims lacked in all."""
    fund = pools_setup.build(world)
    _fill(fund, fund.county, 10_000)
    _fill(fund, fund.city, 5_000)
    _fill(fund, fund.province, 1_000_000)
    outcomes = _race(fund, _claims(fund, 2), 30_000)
    assert outcomes == {"ok": 2, "short": 0, "other": []}
    moves = list(PoolTransfer.objects.order_by("pk").values_list("source_id", "target_id", "amount_fen"))
    into_county = sum(a for s, t, a in moves if t == fund.county.pk)
    from_province = sum(a for s, t, a in moves if s == fund.province.pk)
    assert into_county == 2 * 30_000 - 10_000
    assert from_province == 2 * 30_000 - 10_000 - 5_000
    assert [actions_pools.available_fen(p) for p in (fund.county, fund.city, fund.province)] == [
        0, 0, 1_000_000 - from_province]
    assert len(moves) == 4  # each draws through both levels: the second finds county and city at zero
