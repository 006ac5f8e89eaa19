"""Forms of the workers'-voice pages. They parse and shape input only: lengths, states and who
may do what are the actions' business, whose DomainError.field names the field that gets the
message (views.attempt). Field names follow the actions' error fields so that messages land
beside the right input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.core.forms import YuanField
from zhigong.participation.models import Category, Proposal, Suggestion


def _date_input() -> forms.DateInput:
    # ISO format so that the browser's date picker shows the value back after an error.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _text_area(rows: int = 4, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); types and sizes are checked
    by the actions, which know what they accept."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        uploads = [d for d in (data if isinstance(data, (list, tuple)) else [data]) if d]
        if not uploads and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [single(d, initial) for d in uploads]


# --- Proposals -------------------------------------------------------------------------------

class ProposalForm(forms.Form):
    session = forms.TypedChoiceField(label=_("会议"), coerce=int)
    title = forms.CharField(label=_("案由"), help_text=_("一句话说明提什么，例如：关于提高高温津贴标准的提案"),
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    cause = forms.CharField(label=_("理由"), widget=_text_area(5))
    measures = forms.CharField(label=_("措施"), widget=_text_area(5))
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择"))] + Category.choices)
    attachments = MultipleFileField(label=_("附件"), help_text=_("可选：PDF、Word、Excel或图片，每个不超过20MB。"))

    def __init__(self, *args, sessions: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sessions is None:  # editing a draft: its session is fixed
            del self.fields["session"]
        else:
            self.fields["session"].choices = [(s.pk, label) for s, label in sessions]

    def watch_similar(self, url: str) -> None:
        """While the delegate types, htmx posts the text (debounced) and refills the 相似提案
        panel, so that they can co-sign an earlier proposal instead of writing a duplicate."""
        watched = "[name='title'],[name='cause'],[name='measures'],[name='session'],[name='exclude']," \
                  "[name='csrfmiddlewaretoken']"
        for name in ("title", "cause", "measures"):
            self.fields[name].widget.attrs.update({
                "hx-post": url, "hx-trigger": "keyup changed delay:600ms", "hx-target": "#similar",
                "hx-include": watched, "hx-sync": "closest form:replace"})


class AttachForm(forms.Form):
    file = MultipleFileField(label=_("上传附件"), required=True,
                             help_text=_("PDF、Word、Excel或图片，每个不超过20MB。"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=_text_area(3))


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("并入提案"), coerce=int)

    def __init__(self, *args, targets: list[Proposal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", _("请选择"))] + [
            (p.pk, f"{p.number or '—'} {p.title}") for p in targets]


class AssignForm(forms.Form):
    lead_department = forms.TypedChoiceField(label=_("主办部门"), coerce=int)
    co_departments = forms.TypedMultipleChoiceField(label=_("协办部门"), coerce=int, required=False,
                                                    widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label=_("答复期限"), required=False, widget=_date_input(),
                             help_text=_("留空则按规定期限（交办之日起30天）。"))

    def __init__(self, *args, departments: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.pk, d.name) for d in departments]
        self.fields["lead_department"].choices = [("", _("请选择"))] + choices
        self.fields["co_departments"].choices = choices


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复意见"), widget=_text_area(5))
    planned_measures = forms.CharField(label=_("落实措施"), widget=_text_area(4))


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("落实进度（%）"), min_value=0, max_value=100,
                                 widget=forms.NumberInput(attrs={"class": "num", "inputmode": "numeric"}),
                                 help_text=_("填100表示已落实完毕。"))
    note = forms.CharField(label=_("进展情况"), widget=_text_area(3))
    file = MultipleFileField(label=_("佐证材料"), help_text=_("可选：PDF、Word、Excel或图片。"))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对办理结果是否满意？"), choices=Proposal.Rating.choices,
                               widget=forms.RadioSelect)


class SearchForm(forms.Form):
    """GET filters of the search page; a bad value is ignored rather than refused."""

    q = forms.CharField(label=_("关键词"), required=False)
    session = forms.TypedChoiceField(label=_("会议"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + Category.choices)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部状态"))] + Proposal.State.choices)
    department = forms.TypedChoiceField(label=_("承办部门"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, sessions: list, departments: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("全部会议"))] + [(s.pk, label) for s, label in sessions]
        self.fields["department"].choices = [("", _("全部部门"))] + [(d.pk, d.name) for d in departments]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"words": data.get("q", ""), "session_id": data.get("session"), "category": data.get("category", ""),
                "state": data.get("state", ""), "department_id": data.get("department")}


# --- Improvement suggestions -------------------------------------------------------------------

class SuggestionForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=_("所在企业"), coerce=int)
    team = forms.CharField(label=_("班组"), help_text=_("例如：机加车间二班"))
    title = forms.CharField(label=_("标题"))
    topic = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择"))] + Suggestion.Topic.choices)
    content = forms.CharField(label=_("建议内容"), widget=_text_area(6))

    def __init__(self, *args, enterprises: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("评审结论"), widget=forms.RadioSelect,
                                 choices=[("adopt", _("采纳")), ("reject", _("不采纳"))])
    reason = forms.CharField(label=_("评审意见"), required=False, widget=_text_area(3),
                             help_text=_("不采纳时必须说明理由。"))


class ImplementForm(forms.Form):
    benefit = YuanField(label=_("经济效益（元）"), help_text=_("实施后测算的年度经济效益，没有可填0。"))


class RewardForm(forms.Form):
    reward = YuanField(label=_("奖励金额（元）"))


# --- Suggestion box ----------------------------------------------------------------------------

class BoxSetupForm(forms.Form):
    answer_days = forms.IntegerField(label=_("答复时限（天）"), min_value=1, max_value=90,
                                     widget=forms.NumberInput(attrs={"class": "num", "inputmode": "numeric"}))


class DropForm(forms.Form):
    text = forms.CharField(label=_("您的意见或建议"), strip=False, required=False,
                           widget=_text_area(6, placeholder=_("请写下您想反映的问题或建议。不必留姓名。")))
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices, initial=Category.OTHER)
    photos = MultipleFileField(label=_("照片"), widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
                               help_text=_("可选：最多3张JPEG或PNG照片；照片中的拍摄时间、地点等信息会被清除。"))
    consent_public = forms.BooleanField(label=_("如果企业公开答复，同意同时公开我写的原文"), required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "mono",
                                                         "placeholder": "XXXX-XXXX-XXXX-XXXX"}))


class SenderReplyForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("继续留言"), required=False, strip=False, widget=_text_area(4))


class BoxAnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=_text_area(5))
    public = forms.BooleanField(label=_("在答复公开栏展示"), required=False,
                                help_text=_("留言人同意时，公开栏同时展示其原文；否则只展示类别和答复。"))
