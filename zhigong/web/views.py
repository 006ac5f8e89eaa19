"""Pages of the web app: the health check, the home page and the profile (API tokens)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhigong.core import actions
from zhigong.core.errors import DomainError
from zhigong.core.forms import TokenForm
from zhigong.core.models import RoleGrant
from zhigong.web import home as panels


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page, a panel per role held: scope overview, own enterprise, own record."""
    user = request.user
    return render(request, "web/home.html", {
        "scope_panels": [panels.scope_panel(user, root) for root in panels.scope_roots(user)],
        "enterprise_panels": panels.enterprise_panels(user),
        "own": panels.own_record(user),
    })


def _profile(request: HttpRequest, form: TokenForm, raw_token: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    return render(request, "web/profile.html", {
        "grants": RoleGrant.objects.filter(user=user).select_related("organization").order_by("id"),
        "tokens": user.api_tokens.order_by("-created_at", "-id"),
        "form": form, "raw_token": raw_token,
    }, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request, TokenForm())


@require_POST
@login_required
def token_issue(request: HttpRequest) -> HttpResponse:
    """The raw token is in this response only: it is never stored, so it cannot be shown again."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = actions.issue_token(request.user, form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name", str(exc.message))
        else:
            response = _profile(request, TokenForm(), raw)
            response["Cache-Control"] = "no-store"
            return response
    return _profile(request, form, status=400)


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes. Tokens of other users do not exist here."""
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        actions.revoke_token(request.user, token)
        messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
        return redirect("profile")
    return render(request, "web/token_revoke.html", {"token": token})
