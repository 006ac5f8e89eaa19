"""What every page's layout needs: which navigation entries this user gets and which one is
current. The policy's grants are loaded once per request and cached on the user."""

from functools import cache

from django.urls import get_script_prefix, reverse

from zhigong.core import policy
from zhigong.web import inbox

SECTIONS = {"org-": "orgs", "person-": "people", "employment-": "people", "membership-": "people",
            "profile": "profile", "token-": "profile", "password-change": "profile", "home": "home",
            "congress-": "congress", "inbox": "inbox", "disclosure-": "disclosure", "evaluation-": "evaluation",
            "tracking-": "tracking", "mutualaid-": "mutualaid",
            "ledger-": "ledger"}


def _section(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None) or ""
    return next((section for prefix, section in SECTIONS.items() if name.startswith(prefix)), "")


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    scopes = policy.grants(user) if user is not None else []
    return {
        "is_platform_admin": bool(user and policy.is_platform_admin(user)),
        # Anyone holding a grant works with organizations and people; a worker has only home.
        "nav_staff": bool(scopes),
        "nav_section": _section(request),
        "nav_unread": inbox.unread_count(user),
        "nav_urls": _urls(get_script_prefix()),
    }


@cache
def _urls(prefix: str) -> dict[str, str]:
    """The layout's own links, reversed once per script prefix instead of on every page."""
    return {name: reverse(name) for name in ("set_language", "inbox", "logout")}


def layout_urls() -> dict[str, str]:
    """The layout's own links for a template rendered without this context processor."""
    return _urls(get_script_prefix())
