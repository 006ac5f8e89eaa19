"""The calendar and compliance of one enterprise: what is due when, which mandatory matters are
overdue, the on-time rate per quarter; the default catalogue counts before it is adopted."""

from datetime import date

from zhigong.disclosure import actions, queries
from zhigong.disclosure.models import Matter, Publication
from zhigong.disclosure.tests.conftest import publish

TODAY = date(2026, 5, 15)


def test_an_enterprise_that_never_adopted_owes_the_defaults(world):
    assert not Matter.objects.filter(enterprise=world.enterprise_b).exists()
    result = queries.compliance(world.enterprise_b, 2026, TODAY)
    # Due by mid-May: Q1 of the three quarterly matters (due 30 April).
    assert (result["due"], result["on_time"], result["missing"]) == (3, 0, 3)
    assert {d.matter.code for d in result["missing_items"]} == {"awards_penalties", "safety", "insurance_annuity"}
    assert not result["green"] and not Matter.objects.filter(enterprise=world.enterprise_b).exists()


def test_publishing_what_is_due_turns_compliance_green(world, dw):
    for code in ("awards_penalties", "safety", "insurance_annuity"):
        publish(world, dw, code, "2026-Q1")
    Publication.objects.update(published_on=date(2026, 4, 20))
    Publication.objects.filter(matter__code="safety").update(published_on=date(2026, 5, 3))  # after the due day
    result = queries.compliance(world.enterprise_a, 2026, TODAY)
    assert (result["due"], result["on_time"], result["late"], result["missing"]) == (3, 2, 1, 0)
    assert result["green"] and [d.matter.code for d in result["late_items"]] == ["safety"]
    assert result["by_quarter"]["2026-Q2"] is not None  # Q1's obligations fall due in April


def test_the_calendar_lists_every_obligation_with_its_state(world, dw):
    publish(world, dw, "safety", "2026-Q1")
    rows = queries.calendar(world.enterprise_a, 2026, TODAY)
    safety = [(d.obligation.period.label, d.status) for d in rows if d.matter.code == "safety"]
    assert safety[0][0] == "2026-Q1" and safety[1:] == [("2026-Q2", "not_due"), ("2026-Q3", "not_due"),
                                                         ("2026-Q4", "not_due")]
    assert [d.obligation.period.due for d in rows] == sorted(d.obligation.period.due for d in rows)
    own = actions.add_matter(world.enterprise_admin, world.enterprise_a, "食堂收支", "insurance", "monthly", "workers")
    assert sum(1 for d in queries.calendar(world.enterprise_a, 2026, TODAY) if d.matter == own) == 12
