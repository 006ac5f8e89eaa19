"""Chinese sentences for the roster's issue codes (rules_roster.Issue), as a worker or an
enterprise union's clerk reads them beside the row."""

from django.utils.translation import gettext_lazy as _

from zhigong.core.messages import IDENTIFIER_MESSAGES
from zhigong.mutualaid.rules_roster import Issue

MESSAGES = {
    **IDENTIFIER_MESSAGES,
    "header.missing": _("缺少“%(header)s”列，请使用下载的模板。"),
    "header.unknown": _("无法识别的列“%(header)s”。模板的列为：%(expected)s。"),
    "header.repeated": _("“%(header)s”列出现了两次。"),
    "file.no_rows": _("花名册中没有数据行。"),
    "row.empty": _("空行：请删除该行，或填写完整。"),
    "row.duplicate": _("与第%(first)s行是同一人、同一计划，重复。"),
    "name.required": _("请填写姓名。"),
    "name.too_long": _("姓名不能超过%(limit)s个字。"),
    "name.mismatch": _("该身份证号已登记，但姓名与登记信息不一致，请核对。"),
    "id_number.required": _("请填写身份证号。"),
    "id_number.not_text": _("身份证号被存成了数字，后几位已丢失。请把该列设为“文本”格式后重新填写。"),
    "employment_start.required": _("请填写入职日期。"),
    "employment_start.range": _("入职日期%(value)s不合理，请核对。"),
    "employment_start.after_period": _("入职日期晚于保障期末（%(ends)s），不能参加本期。"),
    "date.format": _("日期“%(value)s”格式不正确，请写成2015-07-01（年-月-日）或设为Excel日期格式。"),
    "wage.format": _("月工资应为数字（元），如6500或6500.50。"),
    "wage.decimals": _("月工资最多两位小数（元、角、分）。"),
    "wage.range": _("月工资应在0至1,000,000元之间。"),
    "plan.required": _("请填写保障计划。"),
    "plan.unknown": _("没有名为“%(plan)s”的保障计划，请按模板说明页填写计划名称或代码。"),
    "plan.no_pool": _("本企业所在地区尚未设立“%(plan)s”的资金池，暂不能参加，请联系县级总工会。"),
    "shares.format": _("份数应为整数，“%(value)s”不是整数。"),
    "shares.range": _("份数%(shares)s超出范围：每人1至%(max)s份。"),
    "eligibility.age": _("保障起始日（%(on)s）时年龄%(age)s岁，不在本计划%(min)s至%(max)s岁的范围内。"),
    "eligibility.women_only": _("“%(plan)s”仅限女职工参加。"),
    "eligibility.medical_insurance": _("“%(plan)s”要求参加职工基本医疗保险，本行“参加职工医保”为“否”，不能参加。"),
    "medical_insured.format": _("“参加职工医保”请填“是”或“否”（空白按“是”），“%(value)s”无法识别。"),
    "coverage.elsewhere": _(
        "此人在其他企业已参加本计划（保障期至%(ends)s），与本期重叠。如属工作调动，请办理转移接续。"),
    "coverage.overlap": _("此人在本企业已参加本计划（保障期至%(ends)s），与本期重叠。"),
}


def message(issue: Issue) -> str:
    template = MESSAGES.get(issue.code)
    if template is None:
        return issue.code
    try:
        return str(template) % issue.params if issue.params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def as_dict(issue: Issue) -> dict:
    return {"row": issue.row, "column": issue.column, "code": issue.code, "message": message(issue)}
