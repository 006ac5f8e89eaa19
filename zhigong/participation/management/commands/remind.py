"""zhigong remind: the daily jobs of workers' voice — overdue proposals are flagged to the
union and the departments (once per due date), and each finished day's suggestion-box
arrivals get their one trail digest — and of 厂务公开: disclosures falling due are announced to
the enterprise's admins (disclosure.actions.send_reminders, once per obligation and lead).
Safe to run more than once a day (cron: daily)."""

from django.core.management.base import BaseCommand

from zhigong.disclosure.actions import send_reminders
from zhigong.participation import actions


class Command(BaseCommand):
    help = "Send overdue-proposal and disclosure reminders and record the suggestion box's daily digests."

    def handle(self, *args, **options):
        reminded = actions.remind_overdue()
        digests = actions.digest_finished_days()
        disclosures = send_reminders()
        self.stdout.write(f"overdue proposals reminded: {reminded}; box digests recorded: {digests}; "
                          f"disclosure reminders sent: {disclosures}")
