"""How the evaluation reads on a page and in the report: each indicator's name, what it is
computed from (the formula with the facts' figures), its share and points; grades and parties.

Names and formulas of the national indicators are translated here by code; an indicator a
region defines under another code shows the name stored with it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NAMES = {
    "congress_on_time": gettext_lazy("职代会按期召开"),
    "quorum_reached": gettext_lazy("会议出席达到法定人数"),
    "composition_compliant": gettext_lazy("代表构成符合规定"),
    "proposals_on_time": gettext_lazy("提案按期答复"),
    "proposal_satisfaction": gettext_lazy("提案办理满意率"),
    "box_on_time": gettext_lazy("意见箱按期答复"),
    "disclosure_on_time": gettext_lazy("厂务公开按期率"),
    "resolutions_carried_out": gettext_lazy("决议落实率"),
    "federation_review": gettext_lazy("上级工会评价"),
    "worker_survey": gettext_lazy("职工代表和职工满意度测评"),
    "assessor_review": gettext_lazy("第三方评估"),
}
SHORT = {
    "congress_on_time": gettext_lazy("按期召开"),
    "quorum_reached": gettext_lazy("法定人数"),
    "composition_compliant": gettext_lazy("代表构成"),
    "proposals_on_time": gettext_lazy("提案答复"),
    "proposal_satisfaction": gettext_lazy("提案满意"),
    "box_on_time": gettext_lazy("意见箱"),
    "disclosure_on_time": gettext_lazy("厂务公开"),
    "resolutions_carried_out": gettext_lazy("决议落实"),
    "federation_review": gettext_lazy("上级评价"),
    "worker_survey": gettext_lazy("职工测评"),
    "assessor_review": gettext_lazy("第三方"),
}
# What done / due count, with the source of the facts.
FORMULAS = {
    "congress_on_time": gettext_lazy("当年召开的会议（不超过规定次数）%(done)s ÷ 规定每年召开次数 %(due)s"
                                     "（职代会会议记录；规则 congress.meetings_per_year）"),
    "quorum_reached": gettext_lazy("出席达到全体代表三分之二而开会的会议 %(done)s ÷ 已到会期的会议 %(due)s"
                                   "（职代会签到与开会记录）"),
    "composition_compliant": gettext_lazy("通过的代表构成检查 %(done)s ÷ 检查项 %(due)s"
                                          "（当届代表名册：代表人数、管理人员、一线职工、女职工）"),
    "proposals_on_time": gettext_lazy("按期答复的提案 %(done)s ÷ 当年到期或已答复的提案 %(due)s（提案办理记录）"),
    "proposal_satisfaction": gettext_lazy("满意和基本满意 %(done)s ÷ 已评价的提案 %(due)s（提案人评价）"),
    "box_on_time": gettext_lazy("按期答复的意见 %(done)s ÷ 当年到期或已答复的意见 %(due)s"
                                "（意见箱记录，不含留言人信息）"),
    "disclosure_on_time": gettext_lazy("按期公开的必须公开事项 %(done)s ÷ 已到期的事项 %(due)s（厂务公开日历）"),
    "resolutions_carried_out": gettext_lazy("已落实的决议和措施 %(done)s ÷ 应落实的 %(due)s（决策跟踪记录）"),
    "federation_review": gettext_lazy("上级工会评分 %(done)s ÷ %(due)s（以0.1分计，附评分理由）"),
    "worker_survey": gettext_lazy("各题评价减1之和 %(done)s ÷ 答卷数×题数×%(span)s = %(due)s"
                                  "（匿名测评，答卷不少于%(minimum)s份时计分）"),
    "assessor_review": gettext_lazy("第三方评估评分 %(done)s ÷ %(due)s（以0.1分计，附评分理由）"),
}
NOTHING = gettext_lazy("本年度无可评价的数据，权重按比例分给其他指标")
PARTIES = {
    "federation": gettext_lazy("上级工会"),
    "workers": gettext_lazy("职工代表和职工"),
    "assessor": gettext_lazy("第三方评估机构"),
}
GRADES = {"优秀": gettext_lazy("优秀"), "良好": gettext_lazy("良好"), "合格": gettext_lazy("合格"),
          "不合格": gettext_lazy("不合格")}
QUESTIONS = {
    "congress_role": gettext_lazy("职代会在企业重大事项决策中发挥了作用"),
    "disclosure": gettext_lazy("厂务公开及时、真实，我能看到关心的事项"),
    "proposals": gettext_lazy("职工代表提案得到认真办理和答复"),
    "voice": gettext_lazy("我的意见和建议有畅通的渠道反映并得到回应"),
    "overall": gettext_lazy("总体上，我对本企业民主管理工作满意"),
}
SCALE = {1: gettext_lazy("很不同意"), 2: gettext_lazy("不同意"), 3: gettext_lazy("一般"), 4: gettext_lazy("同意"),
         5: gettext_lazy("很同意")}


def name(code: str, stored: str = "") -> str:
    return str(NAMES.get(code, stored or code))


def short(code: str, stored: str = "") -> str:
    return str(SHORT.get(code, stored or code))


def grade(value: str) -> str:
    return str(GRADES.get(value, value))


def question(code: str, stored: str) -> str:
    return str(QUESTIONS.get(code, stored))


def score(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def percent(permille: int) -> str:
    return "—" if permille < 0 else f"{permille / 10:.1f}%"


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    short: str
    kind: str
    party: str
    weight: int
    done: int
    due: int
    share_permille: int
    points_hundredths: int
    formula: str

    @property
    def share(self) -> str:
        return percent(self.share_permille)

    @property
    def points(self) -> str:
        return score(self.points_hundredths)

    @property
    def judged(self) -> bool:
        return self.share_permille >= 0


def formula(code: str, done: int, due: int, facts: dict) -> str:
    if due <= 0:
        return str(NOTHING)
    template = FORMULAS.get(code)
    if template is None:
        return _("%(done)s ÷ %(due)s") % {"done": done, "due": due}
    return str(template) % {"done": f"{done:,}", "due": f"{due:,}",
                            "span": int(facts.get("survey_scale", 5)) - 1,
                            "minimum": facts.get("survey_minimum", 5)}

# The navigation's entry in base.html, kept in this app's catalogue with the rest of its words.
NAVIGATION = gettext_lazy("评价")
