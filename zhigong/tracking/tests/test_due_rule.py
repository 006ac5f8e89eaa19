"""The default deadline of a resolution without a plan of its own is a rule row
(tracking.default_due_months, seeded nationally at 12 months with DOMAIN.md as its source): the
row in force for the resolution's region on the day of the vote decides, a later regional row
overrides the national one, and month ends and leap days land on the month's last day."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from zhigong.core.errors import DomainError
from zhigong.core.models import RuleRow
from zhigong.democracy.models import Resolution, Session
from zhigong.tracking import actions, batch, queries, rules

KEY = actions.DUE_KEY


def vote_on(tw, day: date) -> None:
    """The session of the fixture's resolutions took place on `day`."""
    starts = timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))
    Session.objects.filter(pk=tw.passed.item.session_id).update(starts_at=starts)
    tw.passed.refresh_from_db()


def test_the_seeded_national_default_is_twelve_months_and_cites_domain_md(tw):
    row = RuleRow.objects.get(key=KEY, region_code="")
    assert row.value == 12 and "DOMAIN.md" in row.source and row.effective_from == date(2000, 1, 1)
    voted = actions.decided_on(tw.passed)
    plan = actions.plan_resolution(tw.chair, tw.passed)
    assert plan.due_on == rules.add_months(voted, 12)
    assert queries.resolution_tracking(tw.advised).due_on == rules.add_months(actions.decided_on(tw.advised), 12)


def test_a_regional_row_from_a_later_date_overrides_for_votes_from_that_day(tw):
    today = timezone.localdate()
    vote_on(tw, today - timedelta(days=60))
    province = tw.passed.region_id[:2] + "0000"
    RuleRow.objects.create(key=KEY, region_code=province, effective_from=today - timedelta(days=30), value=6,
                           source="省级规定（测试）")
    voted = actions.decided_on(tw.passed)
    assert actions.due_months(tw.passed.region_id, voted) == 12                       # voted before the row
    assert actions.due_months(tw.passed.region_id, today) == 6                        # a vote from today on
    assert actions.due_months("990101", today) == 12                                  # another province
    assert actions.plan_resolution(tw.chair, tw.passed).due_on == rules.add_months(voted, 12)
    vote_on(tw, today - timedelta(days=10))
    voted = actions.decided_on(tw.passed)
    assert actions.plan_resolution(tw.chair, tw.passed).due_on == rules.add_months(voted, 6)
    # The overview's and the evaluation's batch read the same rows as the single lookup.
    advised = Resolution.objects.get(pk=tw.advised.pk)   # the same session, now 10 days ago
    advised_voted = actions.decided_on(advised)
    assert queries.resolution_tracking(advised).due_on == rules.add_months(advised_voted, 6)
    (row,) = [r for r in queries.annotate_resolutions(queries.enterprise_resolutions(tw.enterprise), today)
              if r.pk == tw.advised.pk]
    assert row.due_on == rules.add_months(advised_voted, 6)
    year = rules.add_months(advised_voted, 6).year
    due_day = rules.add_months(advised_voted, 6)
    assert batch.carried_out_rates([tw.enterprise.pk], year, due_day)[tw.enterprise.pk] == \
        queries.carried_out_rate(tw.enterprise.pk, year, due_day)


def test_a_vote_on_a_leap_day_is_due_on_the_28th_of_february(tw):
    vote_on(tw, date(2024, 2, 29))
    assert actions.decided_on(tw.passed) == date(2024, 2, 29)
    assert actions.plan_resolution(tw.chair, tw.passed).due_on == date(2025, 2, 28)
    assert actions.DuePeriods().due(tw.passed.region_id, date(2024, 2, 29)) == date(2025, 2, 28)


def test_without_any_row_the_lookup_says_which_rule_is_missing(tw):
    RuleRow.objects.filter(key=KEY).delete()
    with pytest.raises(DomainError) as missing:
        actions.plan_resolution(tw.chair, tw.passed)
    assert missing.value.code == "rule.missing"
    with pytest.raises(DomainError):
        actions.DuePeriods().due(tw.passed.region_id, timezone.localdate())


def test_the_resolution_page_says_which_default_period_applies(tw, login):
    client = login(tw.chair)
    assert "（默认：表决后12个月）" in client.get(f"/tracking/resolutions/{tw.advised.pk}/").content.decode()
    RuleRow.objects.create(key=KEY, region_code=tw.advised.region_id, effective_from=date(2020, 1, 1), value=6,
                           source="市级规定（测试）")
    page = client.get(f"/tracking/resolutions/{tw.advised.pk}/").content.decode()
    voted = actions.decided_on(tw.advised)
    assert "（默认：表决后6个月）" in page and rules.add_months(voted, 6).isoformat() in page
