"""Reminders before due dates: the enterprise's admins (and the responsible department) hear
of each unpublished obligation 7 and 1 days ahead, once, however often the daily job runs; a
published obligation is not reminded. `zhigong remind` runs it with workers' voice's jobs."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from zhigong.core.models import Notification
from zhigong.disclosure import actions
from zhigong.disclosure.models import Reminder
from zhigong.disclosure.tests.conftest import publish
from zhigong.trail.models import Event

WEEK_BEFORE_Q1 = date(2026, 4, 23)  # Q1 quarterly matters are due 30 April


def test_reminders_go_once_to_the_admins_and_the_department(world, dw):
    publish(world, dw, "safety", "2026-Q1")
    sent = actions.send_reminders(WEEK_BEFORE_Q1)
    assert sent == 2  # awards_penalties and insurance_annuity; safety is published
    titles = list(Notification.objects.filter(user=world.enterprise_admin).values_list("title", flat=True))
    assert len(titles) == 2 and all("2026-Q1" in t for t in titles)
    assert actions.send_reminders(WEEK_BEFORE_Q1) == 0
    assert Notification.objects.filter(user=world.enterprise_admin).count() == 2
    assert Event.objects.filter(verb="disclosure.remind").count() == 1
    assert actions.send_reminders(date(2026, 4, 24)) == 0  # no lead falls on this day
    assert actions.send_reminders(date(2026, 4, 29)) == 2  # the day before
    assert Reminder.objects.count() == 4


def test_pay_reminder_reaches_the_responsible_department(world, dw):
    actions.send_reminders(date(2027, 2, 22))  # yearly matters of 2026 are due 1 March 2027
    assert Notification.objects.filter(user=dw.clerk, title__contains="工资调整方案").exists()
    assert not Notification.objects.filter(user=world.worker).exists()


def test_the_daily_command_runs_it(world, dw):
    out = StringIO()
    call_command("remind", stdout=out)
    assert "disclosure reminders sent:" in out.getvalue()
