"""Forms of the claim pages: the submission a worker fills in on a phone (or the union for them),
the reviewer's decision, the appeal and an extra document. The rules live in actions_claims;
these only turn typed text into values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.core.forms import YuanField, _date_input
from zhigong.mutualaid.actions_claims import ClaimInput
from zhigong.mutualaid.models import Claim, ClaimDocument, Coverage

DOCUMENT_FIELDS = (("invoice_file", "invoice"), ("discharge_file", "discharge"), ("id_file", "id_card"),
                   ("certificate_file", "certificate"))


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def coverage_label(cover: Coverage) -> str:
    return f"{cover.version.plan.name} · {cover.person.name}（{cover.starts_on:%Y-%m-%d}—{cover.ends_on:%Y-%m-%d}）"


def disease_choices(coverages) -> list[tuple[str, str]]:
    """The listed diseases and classes of the plans of these coverages, by their names."""
    from zhigong.mutualaid.models import BenefitRule

    seen: dict[str, str] = {}
    rows = BenefitRule.objects.filter(version__in={c.version_id for c in coverages},
                                      code__in=["listed_disease", "class_sum"]).order_by("code", "key")
    for row in rows:
        seen.setdefault(row.key, (row.params or {}).get("name") or row.key)
    return [("", _("无（住院或意外）"))] + sorted(seen.items(), key=lambda item: item[1])


class OptionalYuanField(YuanField):
    def clean(self, value) -> int:
        return super().clean(value) if (value or "").strip() else 0


class ClaimForm(forms.Form):
    coverage = forms.TypedChoiceField(label=_("保障计划"), coerce=int)
    admitted_on = forms.DateField(label=_("入院日期"), required=False, widget=_date_input())
    discharged_on = forms.DateField(label=_("出院日期"), required=False, widget=_date_input())
    event_on = forms.DateField(label=_("出险或确诊日期"), required=False, widget=_date_input(),
                               help_text=_("住院申请可不填，按入院日期计。"))
    hospital_grade = forms.ChoiceField(label=_("医院等级"), required=False,
                                       choices=[("", _("请选择"))] + Claim.HospitalGrade.choices)
    diagnosis = forms.CharField(label=_("诊断"), required=False, max_length=200)
    disease_key = forms.ChoiceField(label=_("所患病种"), required=False)
    is_accident = forms.BooleanField(label=_("意外事故"), required=False)
    family_member = forms.BooleanField(label=_("为家属申请"), required=False)
    invoice_no = forms.CharField(label=_("发票号"), required=False, max_length=40)
    total_cost = OptionalYuanField(label=_("医疗费用总额（元）"), required=False)
    self_paid = OptionalYuanField(label=_("其中目录内自付（元）"), required=False)
    bank_name = forms.CharField(label=_("开户行"), max_length=100)
    account_holder = forms.CharField(label=_("户名"), max_length=50)
    account_number = forms.CharField(label=_("银行账号"), max_length=40,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                     help_text=_("加密保存，页面只显示首尾各4位。"))
    invoice_file = forms.FileField(label=_("医疗发票"), required=False)
    discharge_file = forms.FileField(label=_("出院小结"), required=False)
    id_file = forms.FileField(label=_("身份证"), required=False)
    certificate_file = forms.FileField(label=_("诊断证明"), required=False)

    def __init__(self, *args, coverages, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coverage"].choices = [(c.pk, coverage_label(c)) for c in coverages]
        self.fields["disease_key"].choices = disease_choices(coverages)
        for name in ("invoice_file", "discharge_file", "id_file", "certificate_file"):
            self.fields[name].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def claim_input(self) -> ClaimInput:
        data = self.cleaned_data
        lines = []
        if data["invoice_no"] or data["total_cost"] or data["self_paid"]:
            lines = [{"invoice_no": data["invoice_no"].strip(), "total_fen": data["total_cost"],
                      "self_paid_fen": data["self_paid"]}]
        return ClaimInput(coverage_id=data["coverage"], event_on=data["event_on"], admitted_on=data["admitted_on"],
                          discharged_on=data["discharged_on"], hospital_grade=data["hospital_grade"],
                          diagnosis=data["diagnosis"], disease_key=data["disease_key"],
                          is_accident=data["is_accident"], family_member=data["family_member"], lines=lines,
                          bank_name=data["bank_name"], account_holder=data["account_holder"],
                          account_number=data["account_number"])

    def documents(self) -> list[tuple[str, object]]:
        return [(kind, self.cleaned_data[name]) for name, kind in DOCUMENT_FIELDS if self.cleaned_data.get(name)]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect,
                                 choices=[("approve", _("通过")), ("reject", _("不通过"))])
    reason = forms.CharField(label=_("理由"), required=False, widget=_area(3),
                             help_text=_("不通过时必须说明理由，职工会收到。"))


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=_area(3))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=ClaimDocument.Kind.choices)
    file = forms.FileField(label=_("文件"))


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("待审核"))] + Claim.State.choices)
    q = forms.CharField(label=_("搜索"), required=False, max_length=64)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    flagged = forms.BooleanField(label=_("只看有提示"), required=False)
