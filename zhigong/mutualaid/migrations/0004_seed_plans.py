"""The five example plans of DOMAIN.md (zhigong/mutualaid/plans_seed.py) as national example
plans with their 2026 version and benefit rule rows, and the national default rule rows of the
contribution standard, pool shares, shortfall limit and grace period. Rows marked verified=False
are examples or readings not checked against an official text."""

from datetime import UTC, datetime

from django.db import migrations

PUBLISHED = datetime(2025, 12, 1, tzinfo=UTC)


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows
    from zhigong.mutualaid.plans_seed import EFFECTIVE, LABEL, PLANS, RULE_DEFAULTS

    seed_rows(apps, RULE_DEFAULTS)
    Plan = apps.get_model("mutualaid", "Plan")
    Version = apps.get_model("mutualaid", "PlanVersion")
    Rule = apps.get_model("mutualaid", "BenefitRule")
    for spec in PLANS:
        plan, _created = Plan.objects.get_or_create(code=spec["code"], defaults={
            "name": spec["name"], "kind": spec["kind"], "owner": None, "region_code": ""})
        v = spec["version"]
        version, created = Version.objects.get_or_create(plan=plan, effective_from=EFFECTIVE, defaults={
            "label": LABEL, "text": v["text"] + "\n来源：" + spec["source"], "period_months": v["period_months"],
            "price_fen": v["price_fen"], "waiting_days": v["waiting_days"], "max_shares": v["max_shares"],
            "women_only": v.get("women_only", False), "published_at": PUBLISHED})
        if created:
            Rule.objects.bulk_create(Rule(version=version, **row) for row in v["rules"])


def unseed(apps, schema_editor):
    from zhigong.mutualaid.plans_seed import PLANS, RULE_DEFAULTS

    codes = [spec["code"] for spec in PLANS]
    apps.get_model("mutualaid", "BenefitRule").objects.filter(version__plan__code__in=codes).delete()
    apps.get_model("mutualaid", "PlanVersion").objects.filter(plan__code__in=codes).delete()
    apps.get_model("mutualaid", "Plan").objects.filter(code__in=codes).delete()
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in RULE_DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("mutualaid", "0003_pool_books_and_notices"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
