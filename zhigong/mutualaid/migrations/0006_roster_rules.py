"""National default of the roster's rule row: the minimum participation of a union's members in
collective enrolment, below which the enrolment page warns (a common requirement of collective
mutual-aid plans, not checked against an official text)."""

from django.db import migrations

DEFAULTS = [
    ("mutualaid.min_participation_percent", 80,
     "集体参保：参保人数一般不少于工会会员人数的80%（各地互助保障计划的常见要求，未核实）", False),
]


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows

    seed_rows(apps, DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("mutualaid", "0005_roster_leaving_and_upload_period"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
