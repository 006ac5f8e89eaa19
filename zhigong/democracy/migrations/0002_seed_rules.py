"""National defaults of the congress rules (DOMAIN.md, 'Enterprise democratic management').
Rows marked verified=False are widely cited but not checked against the official text."""

from django.db import migrations

DEFAULTS = [
    ("congress.form_threshold", 100, "西安市企业民主管理条例 第8条：100人以上设职工代表大会", True),
    ("congress.quorum", {"numerator": 2, "denominator": 3, "strictly_more": False},
     "全民所有制工业企业职工代表大会条例(1986) 第18条；企业民主管理规定(2012)：三分之二以上代表出席", False),
    ("congress.majority", {"numerator": 1, "denominator": 2, "strictly_more": True},
     "企业民主管理规定(2012) 第20条：须经全体职工代表的过半数通过", True),
    ("congress.interim_share", {"numerator": 1, "denominator": 3, "strictly_more": False},
     "企业民主管理规定(2012)：三分之一以上职工代表提议可召开临时会议", False),
    ("congress.min_delegates", {"share_permille": 50, "minimum": 30},
     "企业民主管理规定(2012)：代表人数不少于职工总数的5%，最少不少于30人", False),
    ("congress.max_managers", {"numerator": 1, "denominator": 5, "strictly_more": False},
     "陕西省企业民主管理条例；1986条例第12条（一般为五分之一）：中层以上管理人员不超过20%", True),
    ("congress.min_frontline", {"numerator": 1, "denominator": 2, "strictly_more": False},
     "一线职工代表一般不少于50%（来源较弱，仅作提示）", False),
    ("congress.term_years", {"min": 3, "max": 5}, "企业民主管理规定(2012)：每届任期三至五年", False),
    ("congress.recall_majority", {"numerator": 1, "denominator": 2, "strictly_more": True},
     "陕西省企业民主管理条例：经选区全体职工过半数通过可罢免代表", True),
    ("congress.election_allow_equal", False, "差额选举：候选人多于应选名额；规则可允许等额", True),
    ("congress.important_matters",
     ["collective_contract", "workplace_rules", "welfare_fund", "insurance_contribution",
      "model_workers", "worker_director", "worker_supervisor"],
     "劳动合同法第4、51条；企业民主管理规定(2012) 第20条：重大事项无记名投票、分项表决", True),
    ("congress.meetings_per_year", 1, "企业民主管理规定(2012)：每年至少召开一次（国有企业每半年一次）", False),
    ("governance.director_from_workers", 300, "公司法(2023) 第68、120条：职工人数三百人以上", True),
    ("governance.supervisor_share", {"numerator": 1, "denominator": 3, "strictly_more": False},
     "公司法(2023) 第76、130条：职工代表比例不得低于三分之一", True),
]


def seed(apps, schema_editor):
    from zhigong.core.rulebook import seed as seed_rows

    seed_rows(apps, DEFAULTS)


def unseed(apps, schema_editor):
    apps.get_model("core", "RuleRow").objects.filter(key__in=[d[0] for d in DEFAULTS], region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("democracy", "0001_initial"), ("core", "0003_rule_rows")]
    operations = [migrations.RunPython(seed, unseed)]
