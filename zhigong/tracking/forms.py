"""Forms of the tracking pages: they parse input; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.participation.forms import MultipleFileField


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _department_choices(departments) -> list:
    return [("", _("（不指定）"))] + [(d.pk, d.name) for d in departments]


class PlanForm(forms.Form):
    due_on = forms.DateField(label=_("落实期限"), widget=_date_input(), required=False,
                             help_text=_("不填按本地区规则的默认期限（全国为表决后12个月：职代会每年至少召开一次，"
                                         "下次会议报告落实情况）。"))
    department = forms.TypedChoiceField(label=_("牵头部门"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, departments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices(departments)


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("措施"), max_length=200)
    weight = forms.IntegerField(label=_("权重"), initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                help_text=_("1到100；决议进度按各措施的权重加权汇总。"))
    due_on = forms.DateField(label=_("完成期限"), widget=_date_input())
    department = forms.TypedChoiceField(label=_("责任部门"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("决议已有进度时，新增措施会使进度下降，须说明原因。"))

    def __init__(self, *args, departments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices(departments)


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("进度（%）"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                 help_text=_("0到100；填100表示该措施已完成。"))
    on = forms.DateField(label=_("日期"), widget=_date_input(), required=False, help_text=_("不填为今天。"))
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("进度下调原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("进度低于上次时必填。"))
    files = MultipleFileField(label=_("佐证材料"), help_text=_("可选，最多5个：PDF、Word、Excel或图片。"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("进度表（.xlsx）"), help_text=_("请使用下载的模板填写。"))
