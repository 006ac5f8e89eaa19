"""National default of decision tracking as a rule row (region "" = national, from 2000-01-01):
the months after the vote by which a resolution without a plan of its own is due. A province or
city overrides it with a later row; the row in force on the day of the vote applies."""

from django.db import migrations

DEFAULTS = [
    ("tracking.default_due_months", 12,
     "DOMAIN.md: 职代会每年至少召开一次（2012规定 [verify]；1986条例第18条），下次会议报告决议落实情况；"
     "闭会期间由工会检查决议落实（工会法第36条）。故默认表决后12个月", False),
]


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows

    seed_rows(apps, DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_importbatch_kind"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
