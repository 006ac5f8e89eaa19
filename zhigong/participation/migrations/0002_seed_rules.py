from django.db import migrations

DEFAULTS = [
    ("proposal.min_cosigners", 2, "提案须有附议人，默认2名职工代表附议（各企业提案工作细则常见做法）", False),
    ("proposal.answer_days", 30, "提案交办后的答复期限，默认30天（各企业提案工作细则常见做法）", False),
    ("box.answer_days", 15, "意见箱答复时限，默认15天，各企业可另行设定", False),
    ("box.limits", {"max_chars": 2000, "max_photos": 3, "max_photo_bytes": 5242880,
                    "window_seconds": 600, "max_per_window": 5},
     "意见箱防滥用：字数、照片和短时提交次数的上限（平台默认）", True),
]


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows

    seed_rows(apps, DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
