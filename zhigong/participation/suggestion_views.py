"""Pages of improvement suggestions (合理化建议): a worker submits from a phone; the enterprise
reviews (adopt with a note, or reject with a reason), records the implementation with its
economic benefit and grants a reward; per-enterprise statistics and the teams' ranking."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import PermissionDenied
from zhigong.core.models import Organization
from zhigong.core.views import page
from zhigong.participation import actions, forms, queries
from zhigong.participation.models import Suggestion
from zhigong.participation.views import attempt, person_id

NAV = {"nav_section": "suggestions"}
PAGE_SIZE = 20
Kind = Organization.Kind


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def employers(user) -> list[Organization]:
    """Where the user works now: where they may submit a suggestion."""
    person = getattr(user, "person", None)
    if person is None:
        return []
    ids = person.employments.filter(end_date__isnull=True).values("enterprise")
    return list(policy.visible_organizations(user).filter(pk__in=ids).order_by("name"))


def managed_enterprises(user, limit: int = 50) -> list[Organization]:
    rows = policy.visible_organizations(user).filter(kind=Kind.ENTERPRISE).order_by("name")
    return [org for org in rows[: limit * 4] if policy.may_organization(user, "change", org)][:limit]


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = queries.visible(user, Suggestion).filter(submitter_id=person_id(user)).order_by("-id")[:50]
    return render_page(request, "participation/suggestions.html", {
        "mine": mine, "employers": employers(user), "managed": managed_enterprises(user),
    })


@page
def suggestion_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    enterprises = employers(user)
    form = forms.SuggestionForm(request.POST or None, enterprises=enterprises) if enterprises else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = policy.access_organization(user, data["enterprise"])
        ok, row = attempt(form, lambda: actions.submit_suggestion(
            user, enterprise, data["team"], data["title"], data["content"], data["topic"]))
        if ok:
            messages.success(request, _("建议已提交，评审结果会在这里显示。"))
            return redirect("voice-suggestion", pk=row.pk)
    return render_page(request, "participation/suggestion_form.html", {"form": form})


@page
def enterprise_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    enterprise = policy.access_organization(user, org_pk)
    if enterprise.kind != Kind.ENTERPRISE:
        raise Http404
    state = request.GET.get("state", "")
    rows = queries.visible(user, Suggestion).filter(enterprise=enterprise).select_related("submitter")
    if state in Suggestion.State.values:
        rows = rows.filter(state=state)
    page_obj = Paginator(rows.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "participation/suggestion_list.html", {
        "enterprise": enterprise, "page_obj": page_obj, "state": state, "states": Suggestion.State.choices,
        "may_manage": policy.may_organization(user, "change", enterprise),
    })


def _forms_for(row: Suggestion, data=None, only: str = "") -> dict:
    def bound(name):
        return data if name == only else None

    if row.state == Suggestion.State.SUBMITTED:
        return {"decide": forms.DecideForm(bound("decide"), prefix="decide")}
    if row.state == Suggestion.State.ADOPTED:
        return {"implement": forms.ImplementForm(bound("implement"), prefix="implement")}
    if row.state == Suggestion.State.IMPLEMENTED:
        return {"reward": forms.RewardForm(bound("reward"), prefix="reward")}
    return {}


def _detail(request: HttpRequest, row: Suggestion, bound: dict | None = None, status: int = 200) -> HttpResponse:
    may_manage = policy.may_organization(request.user, "change", row.enterprise)
    made = {**_forms_for(row), **(bound or {})} if may_manage else {}
    return render_page(request, "participation/suggestion_detail.html", {
        "row": row, "forms": made, "may_manage": may_manage,
    }, status=status)


@page
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.access(request.user, Suggestion, pk))


VERBS = {
    "decide": lambda u, r, d: actions.decide_suggestion(u, r, d["decision"] == "adopt", d["reason"]),
    "implement": lambda u, r, d: actions.implement_suggestion(u, r, d["benefit"]),
    "reward": lambda u, r, d: actions.reward_suggestion(u, r, d["reward"]),
}
FORMS = {"decide": forms.DecideForm, "implement": forms.ImplementForm, "reward": forms.RewardForm}
DONE = {"decide": gettext_lazy("评审结论已记录。"), "implement": gettext_lazy("实施情况和经济效益已登记。"),
        "reward": gettext_lazy("奖励已登记。")}


@require_POST
@page
def suggestion_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    if verb not in VERBS:
        raise Http404
    user = request.user
    row = queries.access(user, Suggestion, pk)
    form = FORMS[verb](request.POST, prefix=verb)
    if form.is_valid():
        try:
            ok, _result = attempt(form, lambda: VERBS[verb](user, row, form.cleaned_data))
        except PermissionDenied:
            return render_page(request, "participation/suggestion_detail.html", {
                "row": row, "forms": {}, "may_manage": False,
                "refusal": _("只有本企业的管理人员可以评审和登记。")}, status=403)
        if ok:
            messages.success(request, DONE[verb])
            return redirect("voice-suggestion", pk=row.pk)
    row.refresh_from_db()
    return _detail(request, row, {verb: form})


@page
def stats(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    enterprise = policy.access_organization(user, org_pk)
    if enterprise.kind != Kind.ENTERPRISE:
        raise Http404
    figures = queries.suggestion_stats(user, enterprise.pk)
    teams = figures["teams"]
    chart = {"labels": [t["team"] for t in teams], "series": [
        {"name": _("经济效益（元）"), "data": [round((t["benefit"] or 0) / 100, 2) for t in teams]}]}
    return render_page(request, "participation/suggestion_stats.html", {
        "enterprise": enterprise, "figures": figures, "teams": teams, "charts": {"teams": chart},
        "adoption": f"{figures['adopted'] / figures['submitted'] * 100:.1f}%" if figures["submitted"] else "—",
    })
