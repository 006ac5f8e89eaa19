"""Forms of the core pages. They parse and shape input only; every rule lives in the actions,
whose DomainError.field names the form field that gets the message (see views.apply)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhigong.core import money, policy
from zhigong.core.errors import DomainError
from zhigong.core.models import Employment, Organization

Kind = Organization.Kind
# Larger amounts are certainly typing errors, and would overflow a 64-bit column.
MAX_FEN = 10**15


def _date_input() -> forms.DateInput:
    # ISO format so that the browser's date picker shows the value back after an error.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


# --- Accounts --------------------------------------------------------------------------------

class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("用户名/手机号或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        # The backend marks the request when the account is locked (core.auth).
        until = getattr(self.request, "zhigong_locked_until", None)
        if until is None:
            return super().get_invalid_login_error()
        return forms.ValidationError(
            _("登录失败次数过多，账号已锁定至 %(time)s，请稍后再试。"),
            code="locked", params={"time": timezone.localtime(until).strftime("%H:%M")},
        )


class PasswordForm(PasswordChangeForm):
    """Django's password change, with Chinese labels (the msgids) whatever Django ships."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("当前密码不正确，请重新输入。"),
            "password_mismatch": _("两次输入的新密码不一致。"),
        }


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=64,
                           help_text=_("例如：考勤系统对接"))


# --- Money and organization pickers ----------------------------------------------------------

def parse_yuan(raw: str, allow_negative: bool = False) -> int:
    """Yuan typed by a person → fen; raises ValidationError with a Chinese sentence."""
    text = (raw or "").replace(",", "").replace("，", "").replace("¥", "").strip()
    try:
        decimals = -Decimal(text).as_tuple().exponent if text else 0
        fen = money.yuan_to_fen(text)
    except (ValueError, InvalidOperation, TypeError):
        raise forms.ValidationError(_("金额格式不正确，请输入以元为单位的数字，例如 6500.00。")) from None
    if isinstance(decimals, int) and decimals > 2:
        raise forms.ValidationError(_("金额最多保留两位小数。"))
    if abs(fen) >= MAX_FEN:
        raise forms.ValidationError(_("金额过大，请核对。"))
    if fen < 0 and not allow_negative:
        raise forms.ValidationError(_("金额不能为负数。"))
    return fen


class YuanField(forms.CharField):
    def __init__(self, *args, allow_negative: bool = False, **kwargs) -> None:
        self.allow_negative = allow_negative
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(*args, **kwargs)

    def clean(self, value) -> int:
        text = super().clean(value)
        return parse_yuan(text, self.allow_negative)


class OrganizationPicker(forms.IntegerField):
    """An organization chosen from a short <select> (refilled by htmx search, see
    web/org_options.html); the choice is checked against the policy in the form's clean."""

    def __init__(self, kind: str, action: str, **kwargs) -> None:
        self.kind, self.action = kind, action
        kwargs.setdefault("widget", forms.Select())
        super().__init__(**kwargs)


def picker_choices(user, kind: str, action: str, search: str = "", selected=None,
                   exclude_path: str = "", limit: int = 50) -> list[tuple[str, str]]:
    """Options for an organization picker: the first matches the user may act on."""
    from zhigong.core import queries

    rows = queries.organizations(user, search=search, kind=kind)
    if exclude_path:
        rows = rows.exclude(path__startswith=exclude_path)
    options = [("", _("请选择"))]
    for org in rows[: limit * 4]:
        if policy.may_organization(user, action, org):
            options.append((str(org.pk), org.name))
        if len(options) > limit:
            break
    picked = _as_id(selected)
    if picked and str(picked) not in {value for value, _label in options}:
        org = policy.visible_organizations(user).filter(pk=picked, kind=kind).first()
        if org is not None:
            options.append((str(org.pk), org.name))
    return options


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ScopedForm(forms.Form):
    """A form that knows its user, fills its organization pickers and checks the picks."""

    def __init__(self, *args, user, exclude: Organization | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # The subtree not to offer (a move's own subtree, a transfer's current union).
        self.exclude = exclude
        exclude_path = exclude.path if exclude else ""
        for name, field in self.fields.items():
            if isinstance(field, OrganizationPicker):
                selected = self.data.get(name) if self.is_bound else self.initial.get(name)
                field.widget.choices = picker_choices(
                    user, field.kind, field.action, selected=selected, exclude_path=exclude_path,
                )
                field.widget.attrs["data-kind"] = field.kind

    def clean(self) -> dict:
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, OrganizationPicker) and data.get(name) is not None:
                data[name] = self._picked(name, field, data[name])
        return data

    def _picked(self, name: str, field: OrganizationPicker, org_id: int) -> Organization | None:
        try:
            org = policy.access_organization(self.user, org_id, field.action)
        except DomainError:
            self.add_error(name, _("请选择您有权办理的组织。"))
            return None
        if org.kind != field.kind:
            self.add_error(name, _("所选组织的类别不符。"))
            return None
        return org


# --- Organizations ---------------------------------------------------------------------------

class OrganizationForm(forms.Form):
    """Fields of an organization; which of them apply depends on the kind."""

    name = forms.CharField(label=_("名称"), max_length=128)
    region = forms.CharField(label=_("地区代码"), max_length=6, required=False,
                             help_text=_("6位行政区划代码，例如 320102；留空则与上级相同。"))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    industry = forms.CharField(label=_("行业"), max_length=64, required=False)
    employee_count = forms.IntegerField(label=_("职工人数"), min_value=0, max_value=10_000_000,
                                        required=False, widget=forms.NumberInput(attrs={"class": "num"}))

    FIELDS_BY_KIND = {
        Kind.FEDERATION: ["name", "region"],
        Kind.ENTERPRISE: ["name", "region", "credit_code", "industry", "employee_count"],
        Kind.ENTERPRISE_UNION: ["name"],
    }

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIELDS_BY_KIND[kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == Kind.FEDERATION:
            self.fields["region"].required = True
            self.fields["region"].help_text = _("6位行政区划代码，例如 320102。")
        if kind == Kind.ENTERPRISE:
            self.fields["credit_code"].required = True

    def action_fields(self) -> dict:
        """The cleaned data under the names the actions take."""
        data = dict(self.cleaned_data)
        if "region" in data:
            data["region_code"] = data.pop("region")
        if data.get("employee_count") is None and "employee_count" in self.fields:
            data["employee_count"] = 0
        return data


class MoveForm(ScopedForm):
    parent = OrganizationPicker(Kind.FEDERATION, "create_child", label=_("新的上级总工会"))


class ProfitForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=9999,
                              widget=forms.NumberInput(attrs={"class": "num"}))
    profit = YuanField(label=_("利润（元）"), allow_negative=True,
                       help_text=_("亏损请填负数，例如 -120000.00。"))


# --- People ----------------------------------------------------------------------------------

class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("身份证号"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The ID number is the person's identity: it is registered once, never edited.
            del self.fields["id_number"]


class EmploymentForm(ScopedForm):
    enterprise = OrganizationPicker(Kind.ENTERPRISE, "manage_people", label=_("用人单位"))
    start_date = forms.DateField(label=_("入职日期"), widget=_date_input())
    form = forms.ChoiceField(label=_("用工形式"), choices=Employment.Form.choices)
    monthly_wage = YuanField(label=_("月工资（元）"))


class EndEmploymentForm(forms.Form):
    end_date = forms.DateField(label=_("离职日期"), widget=_date_input())


class JoinUnionForm(ScopedForm):
    union = OrganizationPicker(Kind.ENTERPRISE_UNION, "manage_people", label=_("工会"))
    joined_on = forms.DateField(label=_("入会日期"), widget=_date_input())


class LeaveUnionForm(forms.Form):
    left_on = forms.DateField(label=_("离会日期"), widget=_date_input())


class TransferForm(ScopedForm):
    union = OrganizationPicker(Kind.ENTERPRISE_UNION, "manage_people", label=_("转入工会"))
    on = forms.DateField(label=_("转会日期"), widget=_date_input())
