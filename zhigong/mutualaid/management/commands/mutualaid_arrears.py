"""zhigong mutualaid_arrears [--day YYYY-MM-DD]: the daily arrears job of the mutual-aid fund.
Every enrolment with a contribution notice not paid in full by the end of its grace period (rule
row mutualaid.grace_days) has its coverage suspended; a notice suspends once, so the job is safe
to run more than once a day (cron: daily). Payment in full restores coverage at once, in the
payment action itself."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhigong.mutualaid.actions_contributions import suspend_overdue


class Command(BaseCommand):
    help = "Suspend coverage of enrolments whose contribution notice is unpaid after the grace period."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to judge by (default: today, Asia/Shanghai)")

    def handle(self, *args, **options):
        day = None
        if options.get("day"):
            try:
                day = date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("--day must be YYYY-MM-DD") from None
        count = suspend_overdue(None, day)
        self.stdout.write(f"notices in arrears past their grace period, coverage suspended: {count}")
