"""Forms of the payment pages: the treasurer's choice of claims, the confirmation of a batch and
the bank's return file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.core.bankfiles import MAX_RETURN_BYTES


class ConfirmBatchForm(forms.Form):
    """The claims chosen in the queue and the total the treasurer saw; the action refuses the
    batch when the claims changed meanwhile."""

    claims = forms.CharField(widget=forms.HiddenInput)
    expected_total_fen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(label=_("我已核对以上收款人和金额，确认生成支付批次"),
                                 error_messages={"required": _("请勾选确认。")})

    def clean_claims(self) -> list[int]:
        ids = parse_ids(self.cleaned_data["claims"].split(","))
        if not ids:
            raise forms.ValidationError(_("请至少选择一笔申请。"))
        return ids


def parse_ids(values) -> list[int]:
    ids = []
    for value in values:
        value = str(value).strip()
        if value.isdigit():
            ids.append(int(value))
    return sorted(set(ids))


class ReturnFileForm(forms.Form):
    file = forms.FileField(label=_("银行回盘文件（xlsx或CSV）"),
                           error_messages={"required": _("请选择银行回盘文件。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RETURN_BYTES:
            raise forms.ValidationError(_("回盘文件不能超过5MB。"))
        return upload


class AccountForm(forms.Form):
    bank_name = forms.CharField(label=_("开户行"), max_length=100)
    account_holder = forms.CharField(label=_("户名"), max_length=50)
    account_number = forms.CharField(label=_("银行账号"), max_length=40,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                     help_text=_("加密保存，页面只显示首尾各4位。"))
