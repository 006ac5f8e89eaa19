"""The national default indicator set of the three-party evaluation (三位一体评价), in force
from 2020 until a later year's set or a region's own replaces it. The weights are a platform
default (automatic indicators 60, the three parties 40), not a figure of law: an
administrator defines another set for a year or a region through the API."""

from django.db import migrations

SINCE = 2020
INDICATORS = [
    # (code, name, kind, party, weight)
    ("congress_on_time", "职代会按期召开", "auto", "", 10),
    ("quorum_reached", "会议出席达到法定人数", "auto", "", 5),
    ("composition_compliant", "代表构成符合规定", "auto", "", 5),
    ("proposals_on_time", "提案按期答复", "auto", "", 8),
    ("proposal_satisfaction", "提案办理满意率", "auto", "", 7),
    ("box_on_time", "意见箱按期答复", "auto", "", 5),
    ("disclosure_on_time", "厂务公开按期率", "auto", "", 10),
    ("resolutions_carried_out", "决议落实率", "auto", "", 10),
    ("federation_review", "上级工会评价", "scored", "federation", 15),
    ("worker_survey", "职工代表和职工满意度测评", "scored", "workers", 15),
    ("assessor_review", "第三方评估", "scored", "assessor", 10),
]
BANDS = [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]
QUESTIONS = [
    {"code": "congress_role", "text": "职代会在企业重大事项决策中发挥了作用"},
    {"code": "disclosure", "text": "厂务公开及时、真实，我能看到关心的事项"},
    {"code": "proposals", "text": "职工代表提案得到认真办理和答复"},
    {"code": "voice", "text": "我的意见和建议有畅通的渠道反映并得到回应"},
    {"code": "overall", "text": "总体上，我对本企业民主管理工作满意"},
]


def seed(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Indicator = apps.get_model("evaluation", "Indicator")
    found, created = IndicatorSet.objects.get_or_create(
        region_code="", year=SINCE,
        defaults={"name": "企业民主管理三位一体评价指标（全国默认）", "bands": BANDS, "survey_questions": QUESTIONS,
                  "survey_scale": 5, "survey_minimum": 5,
                  "source": "平台默认：自动指标60分，上级工会、职工、第三方评估40分"})
    if created:
        Indicator.objects.bulk_create([
            Indicator(indicator_set=found, code=code, name=name, kind=kind, party=party, weight=weight, order=n)
            for n, (code, name, kind, party, weight) in enumerate(INDICATORS, start=1)])


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "IndicatorSet").objects.filter(region_code="", year=SINCE).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
