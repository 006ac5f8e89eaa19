"""Pages of the congress for those who run it: the congress of an enterprise, its terms,
constituencies, delegates and committees. Sessions are in session_views.py, the delegates'
phone pages and the public records in delegate_views.py.

Each view fetches its object through the policy (404 for outsiders, 403 for those who may
see but not change), calls one action or query, and renders; a DomainError becomes a message
beside the field it names (core.views.attempt)."""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import PermissionDenied
from zhigong.core.models import Employment, Organization
from zhigong.core.views import attempt, page
from zhigong.democracy import actions, forms, queries
from zhigong.democracy.display import present_checks
from zhigong.democracy.models import (
    Congress,
    Delegate,
    InterimRequest,
    Resolution,
    Session,
    Term,
    WorkerSeat,
)

NAV = {"nav_section": "congress"}


def get(request: HttpRequest, model, pk, action: str = "view"):
    return queries.access(request.user, model, pk, action)


def may_manage(user, enterprise: Organization) -> bool:
    return policy.may_organization(user, "change", enterprise)


def employees(user, enterprise: Organization):
    """People the user may see who work for the enterprise now: those who may be elected."""
    working = Employment.objects.filter(enterprise=enterprise, end_date__isnull=True).values("person_id")
    return policy.visible_people(user).filter(pk__in=working)


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


# --- Index -------------------------------------------------------------------------------------

@page
def index(request: HttpRequest) -> HttpResponse:
    """The congresses the user may see, the enterprises they may set one up for, and the
    sessions they sit in as a delegate."""
    user = request.user
    search = request.GET.get("q", "").strip()
    congresses = queries.visible(user, Congress).select_related("enterprise").order_by("name")
    if search:
        congresses = congresses.filter(Q(name__contains=search) | Q(enterprise__name__contains=search))
    return render_page(request, "democracy/index.html", {
        "congresses": congresses[:50], "search": search,
        "without": _enterprises_without_congress(user, search),
        "my_sessions": _my_sessions(user)[:5],
    })


def _enterprises_without_congress(user, search: str, limit: int = 20) -> list[Organization]:
    rows = policy.visible_organizations(user).filter(kind=Organization.Kind.ENTERPRISE, congress__isnull=True)
    if search:
        rows = rows.filter(name__contains=search)
    return [org for org in rows.order_by("name")[: limit * 4] if may_manage(user, org)][:limit]


def _my_sessions(user):
    """Sessions of the terms in which the user is a serving delegate, once they are notified."""
    person_id = getattr(user, "person_id", None) or -1
    return queries.visible(user, Session).filter(
        term__delegates__person_id=person_id, term__delegates__status=Delegate.Status.ACTIVE,
    ).exclude(status=Session.Status.PLANNED).select_related("term__congress").order_by("-starts_at").distinct()


@page
def my_sessions(request: HttpRequest) -> HttpResponse:
    return render_page(request, "democracy/my_sessions.html", {"sessions": _my_sessions(request.user)[:50]})


# --- Congress ----------------------------------------------------------------------------------

@page
def congress_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    enterprise = policy.access_organization(user, org_pk, "change")
    if hasattr(enterprise, "congress"):
        return redirect("congress-detail", pk=enterprise.congress.pk)
    form = forms.CongressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, congress = attempt(form, lambda: actions.create_congress(user, enterprise, form.cleaned_data["name"]))
        if ok:
            messages.success(request, _("已设立“%(name)s”。") % {"name": congress.name})
            return redirect("congress-detail", pk=congress.pk)
    return render_page(request, "democracy/form.html", {
        "form": form, "title": _("设立职代会：%(name)s") % {"name": enterprise.name},
        "back": reverse("congress-index"), "submit": _("设立"),
    }, status=400 if form.errors else 200)


def current_term(congress: Congress) -> Term | None:
    today = timezone.localdate()
    terms = congress.terms.all()
    return terms.filter(start_date__lte=today, end_date__gte=today).first() or terms.first()


def _congress_context(user, congress: Congress, **bound) -> dict:
    enterprise = congress.enterprise
    term = current_term(congress)
    gov = getattr(enterprise, "governance", None)
    manage = may_manage(user, enterprise)
    return {
        "congress": congress, "enterprise": enterprise, "term": term, "terms": congress.terms.all(),
        "may_manage": manage,
        "checks": present_checks(actions.composition(term), congress.region_id) if term else [],
        "governance": gov,
        "governance_checks": present_checks(queries.governance_checks(enterprise), congress.region_id),
        "seats": WorkerSeat.objects.filter(enterprise=enterprise).select_related("person", "elected_by")
        .order_by("status", "kind", "id"),
        "sessions": term.sessions.order_by("-number") if term else [],
        "resolutions": queries.visible(user, Resolution).filter(item__session__term__congress=congress)
        .select_related("item__session").order_by("-id")[:20],
        "term_form": bound.get("term_form") or (forms.TermForm(initial=_next_term(congress)) if manage else None),
        "governance_form": bound.get("governance_form") or (forms.GovernanceForm(initial=_governance_initial(gov))
                                                            if manage else None),
    }


def _next_term(congress: Congress) -> dict:
    last = congress.terms.first()
    start = last.end_date + timedelta(days=1) if last else timezone.localdate()
    # Five years, the longest term the rules allow (28 February stands in for a 29th).
    end = date(start.year + 5, start.month, start.day if (start.month, start.day) != (2, 29) else 28)
    return {"number": (last.number + 1) if last else 1, "start_date": start,
            "end_date": end - timedelta(days=1), "workers": congress.enterprise.employee_count or None}


def _governance_initial(gov) -> dict:
    if gov is None:
        return {"company_form": "llc", "has_supervisory_board": True, "supervisory_board_size": 3}
    return {"company_form": gov.company_form, "has_supervisory_board": gov.has_supervisory_board,
            "audit_committee_replaces_board": gov.audit_committee_replaces_board,
            "supervisory_board_size": gov.supervisory_board_size}


@page
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get(request, Congress, pk)
    return render_page(request, "democracy/congress.html", _congress_context(request.user, congress))


@require_POST
@page
def term_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    congress = get(request, Congress, pk, "change")
    form = forms.TermForm(request.POST)
    if form.is_valid():
        ok, term = attempt(form, lambda: actions.start_term(user, congress, **form.cleaned_data))
        if ok:
            messages.success(request, _("第%(n)d届已开始。") % {"n": term.number})
            return redirect("congress-term", pk=term.pk)
    return render_page(request, "democracy/congress.html",
                       _congress_context(user, congress, term_form=form), status=400)


@require_POST
@page
def governance_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    congress = get(request, Congress, pk, "change")
    form = forms.GovernanceForm(request.POST)
    if form.is_valid():
        ok, _gov = attempt(form, lambda: actions.set_governance(user, congress.enterprise, **form.cleaned_data))
        if ok:
            messages.success(request, _("公司治理情况已保存。"))
            return redirect("congress-detail", pk=congress.pk)
    return render_page(request, "democracy/congress.html",
                       _congress_context(user, congress, governance_form=form), status=400)


# --- Term --------------------------------------------------------------------------------------

def _term_context(user, term: Term, **bound) -> dict:
    congress = term.congress
    manage = may_manage(user, congress.enterprise)
    delegates = term.delegates.select_related("person", "constituency", "replaces__person").order_by(
        "status", "constituency__name", "person__name")
    allowed = _interim_allowed(manage, _own_delegate(user, term))
    return {
        "term": term, "congress": congress, "may_manage": manage,
        "checks": present_checks(actions.composition(term), congress.region_id),
        "constituencies": term.constituencies.annotate(
            serving=Count("delegates", filter=Q(delegates__status=Delegate.Status.ACTIVE))).order_by("name"),
        "delegates": delegates,
        "active_count": actions.active_delegates(term).count(),
        "committees": term.committees.prefetch_related("members__person").order_by("kind", "name"),
        "interim": actions.interim_support(term),
        "interim_requests": term.interim_requests.filter(session__isnull=True).order_by("-created_at")
        if manage else [],
        "sessions": term.sessions.order_by("-number"),
        "constituency_form": bound.get("constituency_form") or (forms.ConstituencyForm() if manage else None),
        "committee_form": bound.get("committee_form") or (
            forms.CommitteeForm(delegates=actions.active_delegates(term).select_related("person"))
            if manage else None),
        "interim_form": bound.get("interim_form") or (forms.InterimForm(allowed=allowed) if allowed else None),
    }


def _own_delegate(user, term: Term) -> Delegate | None:
    return actions.active_delegates(term).filter(person_id=getattr(user, "person_id", None) or -1).first()


def _interim_allowed(manage: bool, own: Delegate | None) -> list[str]:
    allowed = [InterimRequest.By.ENTERPRISE_HEAD, InterimRequest.By.UNION] if manage else []
    return allowed + ([InterimRequest.By.DELEGATE] if own else [])


@page
def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term = get(request, Term, pk)
    return render_page(request, "democracy/term.html", _term_context(request.user, term))


@require_POST
@page
def constituency_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    term = get(request, Term, pk, "change")
    form = forms.ConstituencyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, place = attempt(form, lambda: actions.add_constituency(user, term, data["name"], data["kind"],
                                                                    data["workers"]))
        if ok:
            messages.success(request, _("已增加选区“%(name)s”。") % {"name": place.name})
            return redirect("congress-term", pk=term.pk)
    return render_page(request, "democracy/term.html", _term_context(user, term, constituency_form=form), status=400)


@require_POST
@page
def committee_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    term = get(request, Term, pk, "change")
    form = forms.CommitteeForm(request.POST, delegates=actions.active_delegates(term).select_related("person"))
    if form.is_valid():
        data = form.cleaned_data
        ok, committee = attempt(form, lambda: actions.create_committee(user, term, data["kind"], data["name"],
                                                                        list(data["members"])))
        if ok:
            messages.success(request, _("已设立“%(name)s”。") % {"name": committee.name})
            return redirect("congress-term", pk=term.pk)
    return render_page(request, "democracy/term.html", _term_context(user, term, committee_form=form), status=400)


@require_POST
@page
def interim_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Delegates ask for themselves; those who run the congress record the union's or the
    enterprise head's request. The action decides who may."""
    user = request.user
    term = get(request, Term, pk)
    allowed = _interim_allowed(may_manage(user, term.congress.enterprise), _own_delegate(user, term))
    if not allowed:  # neither a delegate nor one who runs the congress
        raise PermissionDenied("request_interim_session")
    form = forms.InterimForm(request.POST, allowed=allowed)
    if form.is_valid():
        data = form.cleaned_data
        ok, _row = attempt(form, lambda: actions.request_interim_session(user, term, data["by"], data["reason"]))
        if ok:
            messages.success(request, _("已提交临时会议提议。"))
            return redirect("congress-term", pk=term.pk)
    return render_page(request, "democracy/term.html", _term_context(user, term, interim_form=form), status=400)


# --- Delegates ---------------------------------------------------------------------------------

def _person_search(request: HttpRequest, url_name: str, pk: int) -> tuple[str, str]:
    return reverse(url_name, args=[pk]), request.GET.get("q", "").strip()


@page
def person_options(request: HttpRequest, pk: int) -> HttpResponse:
    """<option>s of the enterprise's employees matching a name, refilled by htmx as one types."""
    term = get(request, Term, pk, "change")
    people = employees(request.user, term.congress.enterprise)
    return render(request, "democracy/_person_options.html", {
        "options": forms.person_choices(people, request.GET.get("q", "")),
    })


def _delegate_page(request, form, term: Term, title: str, call, done: str, back: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        ok, delegate = attempt(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, done % {"name": delegate.person.name})
            return redirect("congress-term", pk=term.pk)
    return render_page(request, "democracy/form.html", {
        "form": form, "title": title, "back": back, "submit": _("提交"),
        "search_action": request.path,
    }, status=400 if form.errors else 200)


@page
def delegate_elect(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a delegate elected by a constituency: pick an employee (search by name)."""
    user = request.user
    term = get(request, Term, pk, "change")
    search_url, search = _person_search(request, "congress-person-options", term.pk)
    form = forms.DelegateForm(request.POST or None, term=term, people=employees(user, term.congress.enterprise),
                              search_url=search_url, search=search,
                              initial={"elected_on": timezone.localdate(), "frontline": True})

    def elect(data):
        return actions.elect_delegate(user, data["constituency"], data["person"], data["elected_on"],
                                      data["votes_for"], data["voters"], **form.attributes())

    return _delegate_page(request, form, term, _("登记选区选举产生的代表"), elect, _("已登记代表“%(name)s”。"),
                          reverse("congress-term", args=[term.pk]))


@page
def delegate_recall(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    delegate = get(request, Delegate, pk, "change")
    form = forms.RecallForm(request.POST or None, initial={"on": timezone.localdate()})
    title = _("罢免代表：%(name)s（%(place)s，选区职工%(workers)d人）") % {
        "name": delegate.person.name, "place": delegate.constituency.name, "workers": delegate.constituency.workers}
    return _delegate_page(request, form, delegate.term, title, lambda d: actions.recall_delegate(
        user, delegate, d["votes_for_recall"], d["on"]), _("已罢免代表“%(name)s”。"),
        reverse("congress-term", args=[delegate.term_id]))


@page
def delegate_by_election(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    recalled = get(request, Delegate, pk, "change")
    term = recalled.term
    search_url, search = _person_search(request, "congress-person-options", term.pk)
    form = forms.DelegateForm(request.POST or None, by_election=True, people=employees(user, term.congress.enterprise),
                              search_url=search_url, search=search,
                              initial={"elected_on": timezone.localdate()})
    title = _("补选代表：%(place)s（原代表%(name)s）") % {"place": recalled.constituency.name,
                                                  "name": recalled.person.name}

    def elect(data):
        return actions.by_election(user, recalled, data["person"], data["elected_on"], data["votes_for"],
                                   data["voters"], **form.attributes())

    return _delegate_page(request, form, term, title, elect, _("已补选代表“%(name)s”。"),
                          reverse("congress-term", args=[term.pk]))

