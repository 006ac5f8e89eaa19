"""Chinese sentences for identifier errors, keyed by the rule's error code."""

from django.utils.translation import gettext_lazy as _

IDENTIFIER_MESSAGES = {
    "id_number.length": _("身份证号码应为18位。"),
    "id_number.format": _("身份证号码格式不正确：前17位应为数字，最后一位为数字或X。"),
    "id_number.checksum": _("身份证号码校验位不正确，请核对后重新输入。"),
    "id_number.birth_date": _("身份证号码中的出生日期不存在。"),
    "id_number.region": _("身份证号码中的地区代码不存在。"),
    "credit_code.length": _("统一社会信用代码应为18位。"),
    "credit_code.format": _("统一社会信用代码格式不正确。"),
    "credit_code.checksum": _("统一社会信用代码校验位不正确。"),
    "mobile.format": _("手机号码应为以1开头的11位数字。"),
}
