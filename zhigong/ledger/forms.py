"""Forms of the ledger's pages: a month range, reversing an entry, closing a month."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


class MonthField(forms.CharField):
    """<input type="month">: "2026-10" → date(2026, 10, 1)."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("请按“2026-10”的格式填写月份。")}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            year, month = value[:7].split("-")
            return date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class RangeForm(forms.Form):
    start = MonthField(label=_("起始月份"), required=False)
    end = MonthField(label=_("截止月份"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("截止月份不能早于起始月份。"))
        return data


class UntilForm(forms.Form):
    until = MonthField(label=_("截至月份"), required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=200)
    day = forms.DateField(label=_("冲销日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("不填则为今天；所在月份必须未结账。"))


class CloseForm(forms.Form):
    month = MonthField(label=_("结账月份"))
