"""carried_out_rates, the column-wise count the evaluation reads, agrees with the query that
looks at one enterprise's resolutions one at a time."""

from datetime import timedelta

from django.utils import timezone

from zhigong.tracking import actions, batch, queries
from zhigong.tracking.tests.conftest import measures


def test_batch_equals_the_per_enterprise_query(tw, world):
    today = timezone.localdate()
    (m,) = measures(tw, ("改造灶台", 1, today + timedelta(days=30)))
    actions.plan_resolution(tw.chair, tw.passed, today + timedelta(days=30))
    actions.report_progress(tw.chair, m, 100, "完成")
    # tw.advised has no plan: due a year after the deliberation; tw.elected is not tracked.
    ids = [world.enterprise_a.pk, world.enterprise_b.pk]
    seen = set()
    for year in (today.year, today.year + 1):
        for later in (0, 40, 400):
            day = today + timedelta(days=later)
            rates = batch.carried_out_rates(ids, year, day)
            assert rates == {pk: queries.carried_out_rate(pk, year, day) for pk in ids}
            seen.add(rates[world.enterprise_a.pk])
    assert rates[world.enterprise_b.pk] == (0, 0)
    # The cases differ, so agreeing is not agreeing on zeros: carried out early, then also the
    # unplanned resolution falling due a year on, not carried out.
    year_of_plan = (today + timedelta(days=30)).year
    assert batch.carried_out_rates(ids, year_of_plan, today)[world.enterprise_a.pk] == (1, 1)
    default_due = actions.decided_on(tw.advised).replace(year=today.year + 1) if not (
        today.month == 2 and today.day == 29) else None
    if default_due:
        assert batch.carried_out_rates(ids, default_due.year, default_due)[world.enterprise_a.pk][0] >= 1
    assert len(seen) > 1
