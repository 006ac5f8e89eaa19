"""Reports on different measures of one resolution, and an import touching them, at the same
moment on PostgreSQL: each waits for the plan's lock, so the roll-up is computed from the final
percents, never from a stale one, and every entry is written once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from zhigong.tracking import actions, rules
from zhigong.tracking.models import Entry, Measure, Plan
from zhigong.tracking.tests.conftest import measures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_reports_roll_up_from_the_final_percents(tw):
    due = timezone.localdate() + timedelta(days=30)
    ms = measures(tw, *[(f"措施{i}", i + 1, due) for i in range(8)])
    barrier = threading.Barrier(len(ms))

    def report(index: int) -> int:
        try:
            barrier.wait()
            measure = Measure.objects.get(pk=ms[index].pk)
            entry = actions.report_progress(tw.chair, measure, 10 * (index + 1), "同时填报")
            return entry.percent
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(ms)) as pool:
        done = list(pool.map(report, range(len(ms))))
    assert sorted(done) == [10 * (i + 1) for i in range(8)]
    assert Entry.objects.count() == 8
    plan = Plan.objects.get(resolution=tw.passed)
    final = list(plan.measures.values_list("weight", "progress"))
    assert plan.progress == rules.rolled_up_progress(final) == rules.rolled_up_progress(
        [(i + 1, 10 * (i + 1)) for i in range(8)])
