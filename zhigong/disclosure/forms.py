"""Forms of the disclosure pages: they parse input only; the actions decide (views.attempt puts
a DomainError beside the field it names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.disclosure.models import Audience, Category, Frequency
from zhigong.participation.forms import MultipleFileField


def _area(rows: int, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class PublishForm(forms.Form):
    """Publish one obligation of a matter. Which of period / session / event day applies
    depends on the matter's frequency; the view drops the others."""

    period = forms.ChoiceField(label=_("公开期间"), required=False)
    session = forms.TypedChoiceField(label=_("职代会会议"), coerce=int, required=False, empty_value=None)
    event_on = forms.DateField(label=_("事项发生日期"), required=False,
                               widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=_area(8))
    table = forms.CharField(label=_("表格（可选）"), required=False, widget=_area(5, spellcheck="false"),
                            help_text=_("第一行为列名，每行一条记录，单元格之间用“|”分隔；也可以直接从Excel复制粘贴。"))
    files = MultipleFileField(label=_("附件（可选）"),
                              help_text=_("PDF、Word、Excel或图片，每个不超过20MB，最多10个。"))
    confirm = forms.BooleanField(label=_("我已核对内容，知道发布后不能修改，只能发布更正版本。"), required=False)

    def __init__(self, *args, frequency: str, periods=(), sessions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if frequency in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.YEARLY):
            self.fields["period"].choices = [("", _("请选择"))] + list(periods)
            del self.fields["session"], self.fields["event_on"]
        elif frequency == Frequency.BEFORE_VOTE:
            self.fields["session"].choices = [("", _("请选择"))] + list(sessions)
            del self.fields["period"], self.fields["event_on"]
        else:
            del self.fields["period"], self.fields["session"]


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("更正原因"), widget=_area(3), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=_area(8))
    table = forms.CharField(label=_("表格（可选）"), required=False, widget=_area(5, spellcheck="false"),
                            help_text=_("第一行为列名，每行一条记录，单元格之间用“|”分隔。"))
    files = MultipleFileField(label=_("附件（可选）"), help_text=_("更正版本的附件需重新上传。"))


class MatterForm(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择"))] + Category.choices)
    frequency = forms.ChoiceField(label=_("公开频次"), choices=[("", _("请选择"))] + Frequency.choices)
    audience = forms.ChoiceField(label=_("公开范围"), choices=Audience.choices)
    department = forms.TypedChoiceField(label=_("责任部门"), coerce=int, required=False, empty_value=None)
    mandatory = forms.BooleanField(label=_("必须公开（计入合规）"), required=False)

    def __init__(self, *args, departments=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("未指定"))] + [(d.pk, d.name) for d in departments]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("我的问题"), max_length=1000, widget=_area(3))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=5000, widget=_area(5))
