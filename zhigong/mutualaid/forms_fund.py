"""Forms of the plans, pools and contributions pages. They only parse: every rule is checked
by the actions, whose DomainError is shown beside the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.core.forms import parse_yuan


class YuanField(forms.CharField):
    """Money typed in yuan (1,234.50), cleaned to integer fen by core's parse_yuan (at most two
    decimals: a fen is the smallest unit, nothing is rounded away); here always above zero."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        fen = parse_yuan(value)
        if fen <= 0:
            raise forms.ValidationError(_("金额必须大于零。"))
        return fen


class VersionForm(forms.Form):
    label = forms.CharField(label=_("版本名称"), max_length=40, initial="2027年度")
    effective_from = forms.DateField(label=_("适用于起始日在此日期及以后的保障期"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    price = YuanField(label=_("每份价格（元，留空沿用现行）"), required=False)
    waiting_days = forms.IntegerField(label=_("新参保等待期（天，留空沿用）"), required=False, min_value=0,
                                      max_value=365)
    text = forms.CharField(label=_("保障条款（留空沿用现行）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))


class PoolsForm(forms.Form):
    federation = forms.ChoiceField(label=_("总工会"))
    plans = forms.MultipleChoiceField(label=_("适用计划"), widget=forms.CheckboxSelectMultiple)
    group = forms.CharField(label=_("资金池名称（如“职工互助保障”）"), max_length=40, required=False)

    def __init__(self, *args, federations=(), plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].choices = [(f.pk, f.name) for f in federations]
        self.fields["plans"].choices = [(p.pk, p.name) for p in plans]


class TransferForm(forms.Form):
    amount = YuanField(label=_("调拨金额（元）"))
    reason = forms.CharField(label=_("事由"), max_length=255)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("拒绝理由"), max_length=255)


class IssueForm(forms.Form):
    period_start = forms.DateField(label=_("费款所属期起（留空为参保期起）"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("费款所属期止（留空为参保期止）"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    amount = YuanField(label=_("到账金额（元）"))
    paid_on = forms.DateField(label=_("到账日期"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("银行流水号"), max_length=64, required=False)
    payer = forms.CharField(label=_("付款人"), max_length=100, required=False)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("银行流水（xlsx或CSV：交易日期、流水号、付款人、金额（元）、附言）"))
