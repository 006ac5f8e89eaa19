"""The rows data migrations put in (regions, national rule rows, the trail's state row), put
back after a transactional test flushed every table. Reuses the migrations' own functions."""

from importlib import import_module

from django.apps import apps

SEEDING_MIGRATIONS = [
    ("zhigong.core.migrations.0002_load_regions", "load"),
    ("zhigong.trail.migrations.0002_state_row", "create"),
    ("zhigong.democracy.migrations.0002_seed_rules", "seed"),
    ("zhigong.participation.migrations.0002_seed_rules", "seed"),
    ("zhigong.mutualaid.migrations.0004_seed_plans", "seed"),
    ("zhigong.mutualaid.migrations.0006_roster_rules", "seed"),
    ("zhigong.mutualaid.migrations.0007_claims", "seed"),
    ("zhigong.disclosure.migrations.0002_seed_rules", "seed"),
    ("zhigong.evaluation.migrations.0002_national_indicators", "seed"),
    ("zhigong.tracking.migrations.0003_seed_rules", "seed"),
]

# Data migrations that only transform rows already there (nothing to put back after a flush).
TRANSFORMING_MIGRATIONS = [
    ("zhigong.trail.migrations.0003_blocks", "backfill"),
    # The ledger's triggers, written per database vendor (RunPython only to ask the vendor).
    ("zhigong.ledger.migrations.0002_guards", "forward"),
    ("zhigong.ledger.migrations.0003_period_check_on_insert", "forward"),
    ("zhigong.ledger.migrations.0004_set_based_commit_check", "forward"),
]


def ensure_seed_data() -> bool:
    """Re-run the seeding migrations' functions when the region table is empty."""
    if apps.get_model("core", "Region").objects.exists():
        return False
    for module, function in SEEDING_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
    return True
