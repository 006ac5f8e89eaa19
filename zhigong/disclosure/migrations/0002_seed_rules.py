"""National defaults of 厂务公开 as rule rows (region "" = national, from 2000-01-01): the
catalogue every enterprise starts from, grace days per frequency, the lead before a congress
vote and the reminder days. A province or city overrides any of them with a later row."""

from django.db import migrations

VERIFY = "DOMAIN.md 厂务公开常见必须公开事项 [verify]"


def _matter(code, name, category, frequency, audience="workers", congress_matter=""):
    return {"code": code, "name": name, "category": category, "frequency": frequency, "audience": audience,
            "mandatory": True, "congress_matter": congress_matter}


DEFAULT_MATTERS = [
    _matter("operations_finance", "生产经营和财务状况", "operations", "half_yearly"),
    _matter("hiring_contracts", "招用职工和劳动合同签订情况", "employment", "half_yearly"),
    _matter("collective_contract", "集体合同草案", "rules", "before_vote", congress_matter="collective_contract"),
    _matter("workplace_rules", "劳动规章制度（劳动合同法第四条）", "rules", "before_vote",
            congress_matter="workplace_rules"),
    _matter("pay_adjustment", "工资调整方案", "pay", "yearly"),
    _matter("awards_penalties", "职工奖励和处分", "pay", "quarterly"),
    _matter("dismissals_layoffs", "解除劳动合同和经济性裁员", "employment", "on_event"),
    _matter("model_workers", "劳动模范推荐评选", "pay", "before_vote", congress_matter="model_workers"),
    _matter("safety", "安全生产标准、事故及处理情况", "safety", "quarterly"),
    _matter("insurance_annuity", "社会保险费和企业年金缴纳情况", "insurance", "quarterly"),
    _matter("insurance_change", "住房公积金和社会保险缴费调整", "insurance", "before_vote",
            congress_matter="insurance_contribution"),
    _matter("welfare_fund", "福利基金使用方案", "insurance", "before_vote", congress_matter="welfare_fund"),
    _matter("training_funds", "职工教育培训经费使用情况", "training", "yearly"),
    _matter("labour_disputes", "劳动争议及处理情况", "disputes", "half_yearly"),
    _matter("leaders_pay", "企业领导人员薪酬和业务招待费", "pay", "yearly", audience="delegates"),
    _matter("resolutions_carried_out", "职代会决议落实情况", "congress", "yearly"),
    # Approve items of other matters (a recall, work rules of the congress itself) are disclosed
    # under this one; resolutions are published automatically under the next.
    _matter("congress_approval", "提交职代会审议通过的其他事项", "congress", "before_vote", congress_matter="other"),
    _matter("congress_resolutions", "职代会决议", "congress", "on_event"),
]

DEFAULTS = [
    ("disclosure.default_matters", DEFAULT_MATTERS, VERIFY, False),
    ("disclosure.grace_days", {"monthly": 15, "quarterly": 30, "half_yearly": 30, "yearly": 60, "on_event": 7},
     "期间结束后的公开宽限天数（平台默认，各地可另定）", False),
    ("disclosure.vote_lead_days", 7,
     "须经职代会审议通过的事项，在会议召开前公开的最少天数（常见做法：会前七日送达代表）[verify]", False),
    ("disclosure.remind_days", [7, 1], "到期前提醒的天数（平台默认）", True),
]


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows

    seed_rows(apps, DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
