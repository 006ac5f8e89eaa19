"""Forms of the congress pages. They parse and shape input only; every rule lives in the
actions, whose DomainError.field names the form field that gets the message."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.core.forms import _date_input
from zhigong.democracy.models import (
    AgendaItem,
    Committee,
    Constituency,
    Governance,
    InterimRequest,
    Session,
)
from zhigong.democracy.rules import GRADES

Item = AgendaItem


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "num", "inputmode": "numeric", **attrs})


def _count(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10_000_000, widget=_number(), **kwargs)


class PersonPicker(forms.IntegerField):
    """A person chosen from a short <select> of the enterprise's employees, refilled by htmx as
    the user types a name (democracy/_person_options.html). The form checks the pick against
    the people it offered, so a forged id gets a message, not someone else's record."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Select())
        super().__init__(**kwargs)
        self.search_url = ""


class PeopleForm(forms.Form):
    """A form with person pickers: `people` is the queryset of those who may be picked."""

    def __init__(self, *args, people=None, search_url: str = "", search: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for name, field in self.fields.items():
            if isinstance(field, PersonPicker):
                field.search_url = search_url
                selected = self.data.get(name) if self.is_bound else self.initial.get(name)
                field.widget.choices = person_choices(people, search, selected)

    def clean(self) -> dict:
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, PersonPicker) and data.get(name) is not None:
                person = self.people.filter(pk=data[name]).first() if self.people is not None else None
                if person is None:
                    self.add_error(name, _("请从列表中选择本企业在职职工。"))
                data[name] = person
        return data


def person_choices(people, search: str = "", selected=None, limit: int = 50) -> list[tuple[str, str]]:
    options = [("", _("请选择"))]
    if people is None:
        return options
    rows = people.filter(name__contains=search.strip()) if search.strip() else people
    for person in rows.order_by("name", "id")[:limit]:
        options.append((str(person.pk), f"{person.name}（{person.id_masked}）"))
    picked = str(selected or "")
    if picked.isdigit() and picked not in {value for value, _label in options}:
        person = people.filter(pk=int(picked)).first()
        if person is not None:
            options.append((picked, f"{person.name}（{person.id_masked}）"))
    return options


# --- Congress, governance, terms ---------------------------------------------------------------

class CongressForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128, required=False,
                           help_text=_("留空则按企业名称和职工人数自动命名。"))


class TermForm(forms.Form):
    number = forms.IntegerField(label=_("届次"), min_value=1, max_value=999, widget=_number())
    start_date = forms.DateField(label=_("开始日期"), widget=_date_input())
    end_date = forms.DateField(label=_("届满日期"), widget=_date_input())
    workers = _count(_("职工人数"))
    women_workers = _count(_("女职工人数"))


class GovernanceForm(forms.Form):
    company_form = forms.ChoiceField(label=_("公司形式"), choices=Governance.CompanyForm.choices)
    has_supervisory_board = forms.BooleanField(label=_("设监事会（含职工监事）"), required=False)
    audit_committee_replaces_board = forms.BooleanField(label=_("以董事会审计委员会代替监事会"), required=False)
    supervisory_board_size = forms.IntegerField(label=_("监事会人数"), min_value=0, max_value=99,
                                                initial=0, widget=_number())


class ConstituencyForm(forms.Form):
    name = forms.CharField(label=_("选区名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类别"), choices=Constituency.Kind.choices)
    workers = _count(_("职工人数"))


ATTRIBUTES = ("frontline", "manager", "young", "dispatched", "disabled")


class DelegateForm(PeopleForm):
    """A delegate elected directly by the workers of a constituency."""

    person = PersonPicker(label=_("代表"))
    constituency = forms.ModelChoiceField(label=_("选区"), queryset=Constituency.objects.none(),
                                          empty_label=_("请选择"))
    elected_on = forms.DateField(label=_("当选日期"), widget=_date_input())
    voters = _count(_("参加选举人数"))
    votes_for = _count(_("得票"))
    frontline = forms.BooleanField(label=_("一线职工"), required=False)
    manager = forms.BooleanField(label=_("中层以上管理人员"), required=False)
    young = forms.BooleanField(label=_("青年职工"), required=False)
    dispatched = forms.BooleanField(label=_("劳务派遣职工"), required=False)
    disabled = forms.BooleanField(label=_("残疾职工"), required=False)

    def __init__(self, *args, term=None, by_election: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if by_election:
            del self.fields["constituency"]  # the recalled delegate's own constituency
        elif term is not None:
            self.fields["constituency"].queryset = term.constituencies.order_by("name")

    def attributes(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in ATTRIBUTES}


class RecallForm(forms.Form):
    votes_for_recall = _count(_("同意罢免票数"), help_text=_("选区全体职工中同意罢免的人数。"))
    on = forms.DateField(label=_("罢免日期"), widget=_date_input())


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Committee.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=64)
    members = forms.ModelMultipleChoiceField(label=_("委员"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, delegates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = delegates
        self.fields["members"].label_from_instance = lambda d: d.person.name


class InterimForm(forms.Form):
    by = forms.ChoiceField(label=_("提议方"), choices=InterimRequest.By.choices)
    reason = forms.CharField(label=_("事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [(v, label) for v, label in InterimRequest.By.choices if v in allowed]


# --- Sessions ------------------------------------------------------------------------------------

class SessionForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=128, required=False,
                            help_text=_("留空则自动命名为“第N届职工代表大会第M次会议”。"))
    kind = forms.ChoiceField(label=_("类别"), choices=Session.Kind.choices)
    starts_at = forms.DateTimeField(label=_("开会时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                    widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M",
                                                               attrs={"type": "datetime-local"}))
    location = forms.CharField(label=_("地点"), max_length=128, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=Item.Kind.choices)
    matter = forms.ChoiceField(label=_("事项"), choices=Item.Matter.choices, initial=Item.Matter.OTHER)
    description = forms.CharField(label=_("说明"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    important = forms.BooleanField(label=_("重大事项（无记名投票、分项表决）"), required=False)
    seats = forms.IntegerField(label=_("应选名额"), min_value=0, max_value=99, required=False, widget=_number(),
                               help_text=_("选举议程填写。"))


class CandidateForm(PeopleForm):
    person = PersonPicker(label=_("候选人或被评议人"))
    note = forms.CharField(label=_("简介"), max_length=200, required=False)


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    affiliation = forms.CharField(label=_("单位职务"), max_length=128, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=128)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、Excel或图片，不超过20MB。"),
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}))
    item = forms.ModelChoiceField(label=_("所属议程"), queryset=Item.objects.none(), required=False,
                                  empty_label=_("全体会议文件"))

    def __init__(self, *args, session=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if session is not None:
            self.fields["item"].queryset = session.items.all()
            self.fields["item"].label_from_instance = lambda i: f"{i.order}. {i.title}"


class SecretariatCheckInForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_("代签代表"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, delegates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates
        self.fields["delegate"].label_from_instance = lambda d: f"{d.person.name}（{d.constituency.name}）"


class AdviseForm(forms.Form):
    summary = forms.CharField(label=_("代表审议意见汇总"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=6, min_length=6, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}",
        "class": "code-input", "maxlength": "6"}),
        help_text=_("输入会场屏幕上显示的6位数字。"))


# --- Ballots -------------------------------------------------------------------------------------

CHOICE_LABELS = [("yes", _("同意")), ("no", _("不同意")), ("abstain", _("弃权"))]
GRADE_LABELS = dict(zip(GRADES, [_("优秀"), _("称职"), _("基本称职"), _("不称职")], strict=True))


class BallotForm(forms.Form):
    """What a delegate marks on the ballot of the open round, as the content the action takes.
    Elections: approve up to `seats` of the round's candidates; appraisals: a grade per subject."""

    def __init__(self, *args, kind: str, candidates: list, seats: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.candidates, self.seats = kind, candidates, seats
        if kind == Item.Kind.APPROVE:
            self.fields["choice"] = forms.ChoiceField(label=_("表决意见"), choices=CHOICE_LABELS,
                                                      widget=forms.RadioSelect)
        elif kind == Item.Kind.ELECT:
            self.fields["approve"] = forms.TypedMultipleChoiceField(
                label=_("同意的候选人"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(c.pk, c.person.name) for c in candidates])
        else:
            for c in candidates:
                self.fields[f"grade_{c.pk}"] = forms.ChoiceField(
                    label=c.person.name, choices=list(GRADE_LABELS.items()), required=False,
                    widget=forms.RadioSelect)

    def content(self) -> dict:
        data = self.cleaned_data
        if self.kind == Item.Kind.APPROVE:
            return {"choice": data["choice"]}
        if self.kind == Item.Kind.ELECT:
            return {"approve": sorted(data["approve"])}
        return {"ratings": {str(c.pk): data[f"grade_{c.pk}"] for c in self.candidates if data.get(f"grade_{c.pk}")}}

    def error_field(self) -> str:
        return next(iter(self.fields))

    def grade_fields(self):
        return [self[f"grade_{c.pk}"] for c in self.candidates]


class CastForm(forms.Form):
    """The confirmation step: the content shown for confirmation comes back as JSON; with
    JavaScript the phone adds its commitment (SHA-256 over the ballot and a salt it keeps)."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=20000)
    commitment = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput,
                                  error_messages={"invalid": _("回执校验值格式不正确。")})

    def clean_content(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["content"])
        except ValueError:
            raise forms.ValidationError(_("选票格式不正确。")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("选票格式不正确。"))
        return value
