"""Two rosters of one enterprise imported at the same moment on PostgreSQL: the enterprise row
lock makes them take turns, so the plan's enrolment is made once and both rosters land in it;
the same person in both is covered once, the second import skipping them as already covered."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connections

from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid.models import Coverage, Enrolment
from zhigong.mutualaid.tests.roster_fixtures import build, row, upload, xlsx

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = date(2025, 12, 20)


def test_two_imports_of_one_enterprise_at_once(world):
    build(world)
    admin = world.enterprise_admin
    first = actions.check_roster(admin, world.enterprise_a, upload(xlsx([row(n) for n in range(200, 500)])),
                                 date(2026, 1, 1), today=TODAY)
    second = actions.check_roster(admin, world.enterprise_a, upload(xlsx([row(n) for n in range(499, 800)])),
                                  date(2026, 1, 1), today=TODAY)

    def run(found):
        try:
            return actions.import_roster(admin, found, today=TODAY)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(run, [first, second]))
    assert Enrolment.objects.count() == 1
    assert Coverage.objects.count() == 600  # worker 499 is in both files: covered once
    assert sum(d.imported_rows for d in done) == 600
    assert sorted(d.summary["import"]["already"] for d in done) == [0, 1]
