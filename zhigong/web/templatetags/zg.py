"""Display filters shared by every page: money as ¥ with two decimals, counts with thousands
separators, dates as 2026-11-23 whatever the language."""

from datetime import date, datetime

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhigong.core.money import format_fen
from zhigong.web.context import layout_urls

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
    language joins them. The labels of every (level, kind) pair are made once per language:
    lists show this for every row."""
    return kind_labels().get((org.level or "", org.kind)) or org.get_kind_display()


def kind_labels() -> dict[tuple[str, str], str]:
    """{(level or "", kind): label} in the active language, made once per language."""
    language = get_language()
    labels = _kind_labels.get(language)
    if labels is None:
        labels = _kind_labels[language] = _all_kind_labels()
    return labels


_kind_labels: dict[str, dict[tuple[str, str], str]] = {}


def _all_kind_labels() -> dict[tuple[str, str], str]:
    from zhigong.core.models import Organization

    labels = {}
    for kind, kind_text in Organization.Kind.choices:
        labels[("", kind)] = str(kind_text)
        for level, level_text in Organization.Level.choices:
            labels[(level, kind)] = _("%(level)s%(kind)s") % {"level": level_text, "kind": kind_text}
    return labels


# The navigation's links are the same for everyone with the same language, kind of account
# and current section: rendered once per process and kept (a page render spent a third of its
# time on them: a url reverse and a translation per link). What differs per user (the unread
# badge, the CSRF token of the logout form) stays in base.html.
_NAV_KEYS = ("nav_staff", "is_platform_admin")
_NAV_LIMIT = 512  # sections × languages × account kinds is far fewer; a bound all the same
_nav_rendered: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def nav_links(context, part: str) -> str:
    section = str(context.get("nav_section") or "")
    key = (part, get_language(), get_script_prefix(), section, *(bool(context.get(k)) for k in _NAV_KEYS))
    html = _nav_rendered.get(key)
    if html is None:
        html = render_to_string(f"web/nav_{part}.html",
                                {"nav_section": section, **{k: bool(context.get(k)) for k in _NAV_KEYS}})
        if len(_nav_rendered) < _NAV_LIMIT:
            _nav_rendered[key] = html
    return html


def query_with(get, **changes) -> str:
    """"?a=1&page=2": the request's query with these parameters set (None removes one), or ""
    when nothing is left. What {% querystring %} gives, as a function (the tag's result already
    starts with "?": a template must not put another one before it)."""
    params = get.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params else ""


@register.simple_tag(takes_context=True)
def pagination(context, page_obj) -> str:
    """The previous / next links of a paginated list, made here rather than by a template of
    querystring tags (a third of a list page's render): "第 2 / 9 页"."""
    if page_obj is None or page_obj.paginator.num_pages <= 1:
        return ""
    get = context["request"].GET
    parts = [f'<nav class="pagination" aria-label="{escape(_("分页"))}">']
    if page_obj.has_previous():
        href = escape(query_with(get, page=page_obj.previous_page_number()))
        parts.append(f'<a class="button secondary small" href="{href}">{escape(_("上一页"))}</a>')
    current = _("第 %(n)s / %(total)s 页") % {"n": page_obj.number, "total": page_obj.paginator.num_pages}
    parts.append(f'<span class="current">{escape(current)}</span>')
    if page_obj.has_next():
        href = escape(query_with(get, page=page_obj.next_page_number()))
        parts.append(f'<a class="button secondary small" href="{href}">{escape(_("下一页"))}</a>')
    parts.append("</nav>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def topbar(context) -> str:
    """The layout's top bar: brand, language switch and, for a signed-in user, the navigation
    with the unread badge and the logout form. Made here in one piece rather than by twenty
    template nodes (every page pays for it); the parts that are the same for many users come
    from nav_links' per-process copies."""
    request = context.get("request")
    user = context.get("user")
    urls = context.get("nav_urls") or layout_urls()
    next_path = request.get_full_path() if request is not None else ""
    csrf = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.get("csrf_token"))}">'
            if context.get("csrf_token") else "")
    lang = get_language()
    pressed = ' aria-pressed="true"'
    parts = [
        '<header class="topbar">\n  <div class="topbar-inner">\n    ', nav_links(context, "brand"),
        f'\n    <form class="lang" action="{escape(urls["set_language"])}" method="post">{csrf}'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        f'<button type="submit" name="language" value="zh-hans" lang="zh-Hans"'
        f'{pressed if lang == "zh-hans" else ""}>中文</button>'
        f'<button type="submit" name="language" value="en" lang="en"{pressed if lang == "en" else ""}>English</button>'
        "</form>",
    ]
    if user is not None and user.is_authenticated:
        unread = context.get("nav_unread")
        badge = f' <span class="badge">{int(unread)}</span>' if unread else ""
        current = ' aria-current="page"' if context.get("nav_section") == "inbox" else ""
        parts += [
            '\n    <input type="checkbox" id="nav-toggle" class="nav-toggle">'
            f'<label for="nav-toggle" class="nav-button">{escape(_("菜单"))}</label>'
            f'<nav class="nav" aria-label="{escape(_("主导航"))}">', nav_links(context, "main"),
            f'<a href="{escape(urls["inbox"])}"{current}>{escape(_("通知"))}{badge}</a>',
            nav_links(context, "account"),
            f'<form method="post" action="{escape(urls["logout"])}">{csrf}'
            f'<button type="submit" class="linklike">{escape(_("退出"))}</button></form></nav>',
        ]
    parts.append("\n  </div>\n</header>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
