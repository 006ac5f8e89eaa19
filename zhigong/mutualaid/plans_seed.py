"""The five example plans of DOMAIN.md ("Workers' mutual-aid fund") with their figures, as the
data migration 0002_seed_plans puts them in: one Plan, its 2026 PlanVersion and the version's
BenefitRule rows each (codes: docs/mutualaid/plans.md).

Figures are from public reports. Where a report does not say how a figure applies, the plan
text states our reading and marks it （解读，未核实）; figures DOMAIN.md does not give at all are
marked （示例数值，未核实）.
"""

from datetime import date

EFFECTIVE = date(2026, 1, 1)
LABEL = "2026年度"

# 30 listed critical illnesses. The names follow the 25 diseases of the insurance association's
# 重大疾病保险的疾病定义使用规范 (2007) plus five common additions; Chongqing's own list of 30 was
# not available to check (未核实).
CRITICAL_ILLNESSES = [
    ("malignant_tumour", "恶性肿瘤"), ("myocardial_infarction", "急性心肌梗塞"),
    ("stroke_sequelae", "脑中风后遗症"), ("organ_transplant", "重大器官移植术或造血干细胞移植术"),
    ("cabg", "冠状动脉搭桥术"), ("end_stage_renal", "终末期肾病"), ("limb_loss", "多个肢体缺失"),
    ("fulminant_hepatitis", "急性或亚急性重症肝炎"), ("benign_brain_tumour", "良性脑肿瘤"),
    ("liver_failure", "慢性肝功能衰竭失代偿期"), ("encephalitis_sequelae", "脑炎后遗症或脑膜炎后遗症"),
    ("coma", "深度昏迷"), ("deafness", "双耳失聪"), ("blindness", "双目失明"), ("paralysis", "瘫痪"),
    ("heart_valve", "心脏瓣膜手术"), ("alzheimer", "严重阿尔茨海默病"), ("brain_injury", "严重脑损伤"),
    ("parkinson", "严重原发性帕金森病"), ("burns", "严重Ⅲ度烧伤"),
    ("pulmonary_hypertension", "严重原发性肺动脉高压"), ("motor_neuron", "严重运动神经元病"),
    ("aphasia", "语言能力丧失"), ("aplastic_anaemia", "重型再生障碍性贫血"), ("aorta", "主动脉手术"),
    ("multiple_sclerosis", "严重多发性硬化"), ("rheumatoid_arthritis", "严重类风湿性关节炎"),
    ("lupus_nephritis", "系统性红斑狼疮性肾炎"), ("crohn", "严重克罗恩病"), ("ulcerative_colitis", "严重溃疡性结肠炎"),
]
SEVERE = ["malignant_tumour", "myocardial_infarction", "stroke_sequelae", "organ_transplant", "end_stage_renal",
          "liver_failure", "aplastic_anaemia"]


def _rule(code, key="", amount_fen=None, params=None, note=""):
    return {"code": code, "key": key, "amount_fen": amount_fen, "params": params or {}, "note": note}


ZHUYUAN = {
    "code": "zgbx-zhuyuan", "name": "在职职工住院津贴互助保障", "kind": "hospital_allowance",
    "source": "中国职工保险互助会在职职工住院津贴互助保障计划（公开报道）",
    "version": {
        "price_fen": 8000, "period_months": 12, "waiting_days": 30, "max_shares": 1,
        "text": (
            "一、缴费：每人每年80元，其中工会补贴30元，其余50元由企业承担（企业与职工如何分担为解读，未核实）。\n"
            "二、住院津贴：每次住院超过3天的，超过3天的部分按每天50元给付；住院天数按出院日期减入院日期计算，"
            "住院恰好3天不给付。例：住院10天，给付（10−3）×50＝350元。（“超过3天部分”为解读，未核实）\n"
            "三、住院津贴每个保障年度累计最高4,500元（按年度累计解读，未核实；每次住院不另设上限）。\n"
            "四、重大疾病：新参保职工自保障起始日起第30天至第89天内首次确诊重大疾病的，给付500元；"
            "第90天起（连续续保的自保障起始日起）首次确诊的，给付10,000元。重大疾病给付不计入住院津贴年度上限。\n"
            "五、新参保等待期30天（住院津贴同），连续续保不再设等待期。（等待期天数为解读，未核实）"
        ),
        "rules": [
            _rule("per_day", amount_fen=5000, note="每天50元"),
            _rule("min_stay_days", params={"days": 3, "counts": "beyond"},
                  note="住院超过3天的，只计超过3天的部分（解读，未核实）"),
            _rule("year_cap", amount_fen=450000, params={"codes": ["per_day"]},
                  note="住院津贴每年度累计最高4,500元（按年度解读，未核实）"),
            _rule("early_illness", amount_fen=50000, params={"from_day": 30, "to_day": 89},
                  note="新参保第30至89天首次确诊重大疾病给付500元"),
            _rule("critical_sum", amount_fen=1000000, params={"from_day": 90},
                  note="第90天起首次确诊重大疾病给付10,000元（续保自起始日起）"),
            _rule("contribution_split", params={"union_fen": 3000, "enterprise_permille": 1000},
                  note="工会补贴30元，其余由企业承担（解读，未核实）"),
        ],
    },
}

ZHONGJI = {
    "code": "cq-zhongji", "name": "职工重大疾病互助保障", "kind": "critical_illness",
    "source": "重庆市总工会职工重大疾病互助保障（公开报道）",
    "version": {
        "price_fen": 3000, "period_months": 12, "waiting_days": 90, "max_shares": 1,
        "text": (
            "一、缴费：每份30元，其中工会补贴10元，职工个人20元。\n"
            "二、保障期内首次确诊所列30种重大疾病之一的，给付12,000元；每个保障年度以一次为限（年度上限12,000元）。"
            "（30种疾病名单按保险行业重大疾病定义整理，未与重庆原文核实）\n"
            "三、职工家属（配偶、子女，解读，未核实）首次确诊所列疾病的，给付2,000元。\n"
            "四、新参保等待期90天，连续续保不再设等待期。"
        ),
        "rules": [
            *[_rule("listed_disease", key=code, amount_fen=1200000, params={"name": name},
                    note=f"首次确诊{name}给付12,000元") for code, name in CRITICAL_ILLNESSES],
            _rule("family_sum", amount_fen=200000, params={"relations": ["spouse", "child"]},
                  note="家属首次确诊所列疾病给付2,000元（家属范围为解读，未核实）"),
            _rule("year_cap", amount_fen=1200000, note="每年度给付以12,000元为限"),
            _rule("contribution_split", params={"union_fen": 1000, "enterprise_permille": 0},
                  note="工会补贴10元，职工个人20元"),
        ],
    },
}

TEZHONG = {
    "code": "sh-tezhong", "name": "特种重病团体互助保障", "kind": "critical_illness",
    "source": "上海市职工保障互助会特种重病团体互助保障计划（公开报道）",
    "version": {
        "price_fen": 6000, "period_months": 36, "waiting_days": 90, "max_shares": 1,
        "text": (
            "一、缴费：每份60元，保障期3年；参保职工平均年龄45岁及以上的单位每份70元（按参保名单计算平均年龄）。\n"
            "二、保障期内首次确诊特种重病的，按病种给付：恶性肿瘤、急性心肌梗塞、脑中风后遗症、重大器官移植、"
            "终末期肾病、慢性肝功能衰竭、重型再生障碍性贫血给付10,000元，其他所列重病给付8,000元。"
            "（8,000元至10,000元按病种分档为解读，未核实）\n"
            "三、每个保障期以给付一次为限。\n"
            "四、新参保等待期90天，连续续保不再设等待期。费用由企业承担（解读，未核实）。"
        ),
        "rules": [
            _rule("class_sum", key="severe", amount_fen=1000000,
                  params={"name": "特种重病（重）", "diseases": SEVERE}, note="所列重症给付10,000元（解读，未核实）"),
            _rule("class_sum", key="other", amount_fen=800000,
                  params={"name": "特种重病（其他）",
                          "diseases": [c for c, _n in CRITICAL_ILLNESSES if c not in SEVERE]},
                  note="其他所列重病给付8,000元（解读，未核实）"),
            _rule("year_cap", amount_fen=1000000, note="每个保障期给付以一次、最高10,000元为限"),
            _rule("price_group_age", amount_fen=7000, params={"from_age": 45},
                  note="参保职工平均年龄45岁及以上每份70元"),
            _rule("contribution_split", params={"union_fen": 0, "enterprise_permille": 1000},
                  note="由企业承担（解读，未核实）"),
        ],
    },
}

HUIYUAN = {
    "code": "sh-huiyuan", "name": "会员基本保障", "kind": "hospital_allowance",
    "source": "上海市总工会会员基本保障（公开报道：每份每年24元，半年12元，区局产业工会与市总工会各半）",
    "version": {
        "price_fen": 2400, "period_months": 12, "waiting_days": 90, "max_shares": 1,
        "text": (
            "一、缴费：每份每年24元，参保半年的12元（按月折算）；费用由区局（产业）工会和市总工会各承担一半，"
            "企业和会员个人不缴费。\n"
            "二、由工会根据会员名册集体参保，每人一份。\n"
            "三、给付标准：公开资料未载明，以下为示例数值（未核实）：住院每天20元，自住院第1天起计；"
            "每次住院最高600元，每年度最高1,200元。\n"
            "四、新参保等待期90天，连续续保不再设等待期。"
        ),
        "rules": [
            _rule("per_day", amount_fen=2000, note="每天20元（示例数值，未核实）"),
            _rule("min_stay_days", params={"days": 0, "counts": "all"}, note="自住院第1天起计（示例，未核实）"),
            _rule("claim_cap", amount_fen=60000, note="每次最高600元（示例数值，未核实）"),
            _rule("year_cap", amount_fen=120000, note="每年度最高1,200元（示例数值，未核实）"),
            _rule("price_part_period", params={"pro_rata": True}, note="参保半年每份12元，按月折算"),
            _rule("contribution_split", params={"union_fen": 2400, "enterprise_permille": 1000},
                  note="全部由工会承担（区局产业工会、市总工会各半）"),
        ],
    },
}

NVZHIGONG = {
    "code": "np-nvzhigong", "name": "女职工特殊疾病互助保障", "kind": "women_illness",
    "source": "南平市总工会女职工特殊疾病互助保障（公开报道）",
    "version": {
        "price_fen": 2500, "period_months": 12, "waiting_days": 90, "max_shares": 1, "women_only": True,
        "text": (
            "一、缴费：每人每期25元，由女职工个人缴纳，也可由企业分担（本版本按个人全额缴纳）。\n"
            "二、保障期内首次确诊下列特殊疾病的，按类别一次性给付：第一类6,000元（乳腺癌、宫颈癌、卵巢癌、"
            "子宫内膜癌等女性特有恶性肿瘤）；第二类3,000元（上述部位原位癌）；第三类2,000元（子宫、卵巢、"
            "乳腺良性肿瘤切除手术）；第四类1,000元（其他所列女性特殊疾病）。（类别所含病种为解读，未核实）\n"
            "三、每个保障期累计最高6,000元。\n"
            "四、仅限女职工参加；新参保等待期90天，连续续保不再设等待期。"
        ),
        "rules": [
            _rule("class_sum", key="1", amount_fen=600000,
                  params={"name": "第一类", "diseases": ["breast_cancer", "cervical_cancer", "ovarian_cancer",
                                                       "endometrial_cancer"]}, note="第一类给付6,000元"),
            _rule("class_sum", key="2", amount_fen=300000,
                  params={"name": "第二类", "diseases": ["carcinoma_in_situ"]}, note="第二类给付3,000元"),
            _rule("class_sum", key="3", amount_fen=200000,
                  params={"name": "第三类", "diseases": ["benign_tumour_surgery"]}, note="第三类给付2,000元"),
            _rule("class_sum", key="4", amount_fen=100000,
                  params={"name": "第四类", "diseases": ["other_women_illness"]}, note="第四类给付1,000元"),
            _rule("year_cap", amount_fen=600000, note="每期累计最高6,000元"),
            _rule("contribution_split", params={"union_fen": 0, "enterprise_permille": 0},
                  note="个人全额缴纳；企业分担时另发版本"),
        ],
    },
}

PLANS = [ZHUYUAN, ZHONGJI, TEZHONG, HUIYUAN, NVZHIGONG]

# Rule rows (zhigong.core RuleRow) of the contribution standard and the pools, national defaults:
# (key, value, source, verified).
RULE_DEFAULTS = [
    ("mutualaid.profit_bands", {
        "bands": [
            {"below_fen": 0, "permille": 800, "label": "亏损"},
            {"below_fen": 100_000_000, "permille": 1000, "label": "利润100万元以下"},
            {"below_fen": 1_000_000_000, "permille": 1100, "label": "利润100万至1000万元"},
            {"below_fen": None, "permille": 1200, "label": "利润1000万元以上"},
        ],
        "unknown_permille": 1000,
    }, "示例：按上年度利润分档的系数，亏损企业少缴（DOMAIN.md“按企业效益确定标准”；档位与系数为示例，未核实）", False),
    ("mutualaid.wage_part", {"enabled": False, "permille": 1, "floor_fen": 300, "cap_fen": 2000},
     "示例：与月工资挂钩部分，千分之一，下限3元、上限20元（默认不启用；数值未核实）", False),
    ("mutualaid.pool_shares", {"county": 700, "city": 200, "province": 100},
     "示例：县级70%、市级20%、省级10%作为风险储备（issue #6）", False),
    ("mutualaid.shortfall_auto_limit", 5_000_000,
     "示例：资金池缺口5万元以下自动由上级资金池调拨，超过须审批（数值未核实）", False),
    ("mutualaid.due_days", 30, "示例：缴费通知单发出后30天内缴费（未核实）", False),
    ("mutualaid.grace_days", 30, "示例：缴费期限后30天宽限期，逾期未缴清暂停保障（未核实）", False),
]
