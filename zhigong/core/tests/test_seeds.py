"""Every data migration is known to the re-seeding that follows a transactional test's flush."""

import pytest
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from zhigong.core.models import Region, RuleRow
from zhigong.core.seeds import SEEDING_MIGRATIONS, TRANSFORMING_MIGRATIONS, ensure_seed_data


def test_every_data_migration_is_listed():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = set()
    for (app, _name), migration in loader.disk_migrations.items():
        if not migration.__module__.startswith("zhigong."):
            continue
        for operation in migration.operations:
            if isinstance(operation, migrations.RunPython) and operation.code is not migrations.RunPython.noop:
                found.add((migration.__module__, operation.code.__name__))
    assert found == set(SEEDING_MIGRATIONS) | set(TRANSFORMING_MIGRATIONS)


@pytest.mark.django_db(transaction=True)
def test_seeds_come_back_after_a_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not Region.objects.exists()
    assert ensure_seed_data() is True
    assert Region.objects.filter(code="320102").exists()
    assert RuleRow.objects.filter(key="congress.quorum").exists()
    assert ensure_seed_data() is False
