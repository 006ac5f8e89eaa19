"""Display filters shared by every page: money as ¥ with two decimals, counts with thousands
separators, dates as 2026-11-23 whatever the language."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong.core.money import format_fen

register = template.Library()
EMPTY = "—"


@register.filter
def money(fen) -> str:
    return EMPTY if fen is None or fen == "" else format_fen(int(fen))


@register.filter
def thousands(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return EMPTY


@register.filter
def ymd(value) -> str:
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return EMPTY


@register.filter
def ymdhm(value) -> str:
    if not isinstance(value, datetime):
        return EMPTY
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.strftime("%Y-%m-%d %H:%M")


@register.filter
def kind_label(org) -> str:
    """县级总工会 / "County federation of trade unions": level and kind joined the way each
    language joins them."""
    if not org.level:
        return org.get_kind_display()
    return _("%(level)s%(kind)s") % {"level": org.get_level_display(), "kind": org.get_kind_display()}
