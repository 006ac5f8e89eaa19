"""Forms of the roster pages: the upload, the import confirmation, collective enrolment,
leaving and moving. They parse input only; the rules live in rules_roster, the checks in the
actions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _next_month() -> str:
    today = timezone.localdate()
    return today.replace(year=today.year + today.month // 12, month=today.month % 12 + 1, day=1).isoformat()


class DateInput(forms.DateInput):
    input_type = "date"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("花名册文件（.xlsx）"), help_text=_("请使用下载的模板；不超过20 MB。"))
    starts_on = forms.DateField(label=_("保障起始日"), widget=DateInput, initial=_next_month,
                                help_text=_("本企业已有该计划的保障期时，新职工自此日起加入该期。"))


class ImportForm(forms.Form):
    only_clean_rows = forms.BooleanField(
        label=_("我已看过错误报告，确认只导入无误的行；有误的行不导入"), required=False)


class MembersForm(forms.Form):
    plan = forms.ChoiceField(label=_("保障计划"))
    starts_on = forms.DateField(label=_("保障起始日"), widget=DateInput, initial=_next_month)
    shares = forms.IntegerField(label=_("每人份数"), min_value=1, initial=1)

    def __init__(self, *args, plans=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, p.name) for p in plans]


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离职日期"), widget=DateInput)


class MoveForm(forms.Form):
    enterprise = forms.ChoiceField(label=_("调入企业"))
    left_on = forms.DateField(label=_("在本企业的最后一天"), widget=DateInput,
                              help_text=_("次日起在调入企业继续保障，不再设等待期。"))

    def __init__(self, *args, enterprises=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]
