"""Pages of core: accounts, organizations and people. Each view parses input, calls one query
or action, and renders; the policy decides who sees what (404 for outsiders, 403 for
read-only users), and a DomainError becomes a message beside the field it names."""

from collections.abc import Callable
from functools import wraps
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhigong.core import actions, forms, policy, queries
from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.models import Organization, Person
from zhigong.core.paging import ORGANIZATIONS, ScopePaginator
from zhigong.core.regions import region_names
from zhigong.web.templatetags.zg import kind_labels

Kind = Organization.Kind
PAGE_SIZE = 20


def page(view: Callable) -> Callable:
    """Login required; the policy's NotFound / PermissionDenied become Django's 404 / 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise DjangoPermissionDenied from None

    return wrapper


def attempt(form, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run an action; a DomainError becomes an error beside the field it names (or above the
    form). Access errors are not the form's business: they propagate to become 404 / 403."""
    try:
        return True, call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return False, None


# --- Accounts --------------------------------------------------------------------------------

class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = forms.PasswordForm
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        # The new password and its trail event commit together.
        with transaction.atomic():
            response = super().form_valid(form)
            actions.record_password_change(self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


# --- Organizations ---------------------------------------------------------------------------

def breadcrumbs(user, orgs) -> dict[int, list[tuple[int, str]]]:
    """The visible ancestors of each organization, given as (id, path) pairs, top first."""
    ancestors = {pk: [int(p) for p in path.strip("/").split("/")[:-1]] for pk, path in orgs}
    wanted = {pk for ids in ancestors.values() for pk in ids}
    names = policy.visible_organization_names(user, wanted) if wanted else {}
    return {pk: [(i, names[i]) for i in ids if i in names] for pk, ids in ancestors.items()}


DASH = '<span class="muted">—</span>'


def _org_rows_html(rows, detail: str, crumbs: dict[int, list[tuple[int, str]]]) -> str:
    """The organization list's rows (tuples of queries.ORG_ROW). Made here, every value through
    html.escape, rather than by template tags or format_html per cell: with twenty rows those
    cost more than the page's queries. Region names come from core.regions (reference data kept
    per process), not from a join."""
    labels = kind_labels()
    kinds = dict(Kind.choices)
    regions = region_names(row[7] for row in rows)
    out = []
    for pk, name, kind, level, _path, members, employees, region_code in rows:
        region = regions.get(region_code, region_code)
        trail = "".join(f'<a href="{detail}{i}/">{escape(n)}</a>' for i, n in crumbs[pk])
        trail = f'<div class="crumbs">{trail}</div>' if trail else ""
        label = labels.get((level or "", kind)) or kinds.get(kind, kind)
        employees_text = f"{employees:,}" if kind == Kind.ENTERPRISE else DASH
        out.append(
            f"<tr><td>{trail}"
            f'<a href="{detail}{pk}/">{escape(name)}</a></td>'
            f'<td class="nowrap">{escape(label)}</td><td class="nowrap">{escape(region)}</td>'
            f'<td class="num">{members:,}</td>'
            f'<td class="num">{employees_text}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _int_param(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@page
def org_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in queries.ORG_SORTS else ""
    parent_id = _int_param(request, "parent")
    parent = policy.access_organization(user, parent_id) if parent_id else None
    rows = queries.organization_rows(user, search=search, kind=kind, parent_id=parent_id, sort=sort)
    key = queries.organization_list_key(user, search, kind, parent_id)  # a search's count is kept too
    paginator = ScopePaginator(rows, PAGE_SIZE, key=key, depends_on=ORGANIZATIONS, user=user)
    page_obj = paginator.get_page(request.GET.get("page"))
    found = list(page_obj.object_list)
    crumbs = breadcrumbs(user, [(row[0], row[4]) for row in found])
    detail = reverse("org-detail", args=[0])[:-2]  # ".../orgs/0/" without "0/"
    return render(request, "core/org_list.html", {
        "rows_html": _org_rows_html(found, detail, crumbs),
        "page_obj": page_obj,
        "search": search, "kind": kind, "sort": sort, "parent": parent, "kinds": Kind.choices,
    })


def creatable_kinds(user, org: Organization) -> list[tuple[str, str]]:
    """The kinds of child this user may create under org, with their labels."""
    if org.kind == Kind.FEDERATION and policy.may_organization(user, "create_child", org):
        return [(Kind.FEDERATION, _("新建下级总工会")), (Kind.ENTERPRISE, _("新建企业"))]
    if org.kind == Kind.ENTERPRISE and policy.may_organization(user, "change", org):
        return [(Kind.ENTERPRISE_UNION, _("新建企业工会"))]
    return []


def _may(user, org: Organization) -> dict[str, bool]:
    return {a: policy.may_organization(user, a, org) for a in ("change", "move", "manage_people")}


@page
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = policy.access_organization(user, pk)
    children = queries.organizations(user, parent_id=org.pk)
    return render(request, "core/org_detail.html", {
        "org": org, "crumbs": breadcrumbs(user, [(org.pk, org.path)])[org.pk],
        "children": children.order_by("name")[:50], "children_total": children.count(),
        "profits": org.profits.order_by("-year") if org.kind == Kind.ENTERPRISE else [],
        "may": _may(user, org), "creatable": creatable_kinds(user, org),
    })


@page
def org_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = request.user
    parent = policy.access_organization(user, pk, "change" if kind == Kind.ENTERPRISE_UNION else "create_child")
    if kind not in dict(creatable_kinds(user, parent)):
        raise Http404
    form = forms.OrganizationForm(request.POST or None, kind=kind, initial={"region": parent.region_id})
    if request.method == "POST" and form.is_valid():
        ok, org = attempt(form, lambda: actions.create_organization(user, kind, parent, **form.action_fields()))
        if ok:
            messages.success(request, _("已创建“%(name)s”。") % {"name": org.name})
            return redirect("org-detail", pk=org.pk)
    return render(request, "core/org_form.html", {
        "form": form, "parent": parent, "org": None, "kind_label": Kind(kind).label,
    })


def _org_initial(org: Organization) -> dict:
    return {"name": org.name, "region": org.region_id, "credit_code": org.credit_code or "",
            "industry": org.industry, "employee_count": org.employee_count}


@page
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = policy.access_organization(user, pk, "change")
    form = forms.OrganizationForm(request.POST or None, kind=org.kind, initial=_org_initial(org))
    if request.method == "POST" and form.is_valid():
        ok, _org = attempt(form, lambda: actions.update_organization(user, org, **form.action_fields()))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("org-detail", pk=org.pk)
    return render(request, "core/org_form.html", {
        "form": form, "parent": org.parent, "org": org, "kind_label": org.get_kind_display(),
    })


@page
def org_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: choose the new parent, then confirm (a subtree move changes many scopes)."""
    user = request.user
    org = policy.access_organization(user, pk, "move")
    form = forms.MoveForm(request.POST or None, user=user, exclude=org)
    if request.method == "POST" and form.is_valid():
        new_parent = form.cleaned_data["parent"]
        if request.POST.get("confirm") == "1":
            ok, _moved = attempt(form, lambda: actions.move_organization(user, org, new_parent))
            if ok:
                messages.success(request, _("已移动“%(name)s”。") % {"name": org.name})
                return redirect("org-detail", pk=org.pk)
        else:
            return render(request, "core/org_move_confirm.html", {"org": org, "new_parent": new_parent})
    return render(request, "core/org_move.html", {"form": form, "org": org})


@page
def org_profit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = policy.access_organization(user, pk, "change")
    if org.kind != Kind.ENTERPRISE:
        raise Http404
    form = forms.ProfitForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _row = attempt(form, lambda: actions.record_profit(user, org, data["year"], data["profit"]))
        if ok:
            messages.success(request, _("已记录%(year)s年度利润。") % {"year": data["year"]})
            return redirect("org-detail", pk=org.pk)
    return render(request, "core/org_profit.html", {"form": form, "org": org})


ACTIONS_FOR_PICKERS = {"view", "change", "create_child", "manage_people"}


@page
def org_options(request: HttpRequest) -> HttpResponse:
    """<option>s for an organization picker, refilled by htmx as the user types."""
    kind = request.GET.get("kind", "")
    action = request.GET.get("action", "view")
    if kind not in Kind.values or action not in ACTIONS_FOR_PICKERS:
        raise Http404
    exclude = _int_param(request, "exclude")
    exclude_path = policy.access_organization(request.user, exclude).path if exclude else ""
    options = forms.picker_choices(request.user, kind, action, search=request.GET.get("q", ""),
                                   exclude_path=exclude_path)
    return render(request, "core/org_options.html", {"options": options})


# --- People ----------------------------------------------------------------------------------

def holder_names(user, people) -> dict[int, tuple[int, str]]:
    """The organization that holds each person now (the last segment of scope_path)."""
    holders = {p.pk: int(p.scope_path.strip("/").split("/")[-1]) for p in people if p.scope_path.strip("/")}
    names = dict(policy.visible_organizations(user).filter(pk__in=set(holders.values()))
                 .values_list("pk", "name"))
    return {pk: (org_id, names[org_id]) for pk, org_id in holders.items() if org_id in names}


@page
def person_list(request: HttpRequest) -> HttpResponse:
    """Paged without a total: counting a province's million people on every page view would
    cost more than the page itself."""
    user = request.user
    search = request.GET.get("q", "").strip()
    org_id = _int_param(request, "org")
    org = policy.access_organization(user, org_id) if org_id else None
    rows = queries.people(user, search)
    if org is not None:
        rows = rows.filter(scope_path__startswith=org.path)
    number = max(_int_param(request, "page") or 1, 1)
    window = list(rows[(number - 1) * PAGE_SIZE: number * PAGE_SIZE + 1])
    people = window[:PAGE_SIZE]
    holders = holder_names(user, people)
    for person in people:
        person.holder = holders.get(person.pk)
    return render(request, "core/person_list.html", {
        "people": people, "search": search, "org": org,
        "number": number, "has_next": len(window) > PAGE_SIZE, "has_previous": number > 1,
        "may_register": org is not None and policy.may_organization(user, "manage_people", org),
    })


def _person_context(user, person: Person, revealed: str | None = None) -> dict:
    return {
        "person": person, "revealed": revealed,
        "jobs": person.employments.select_related("enterprise").order_by("-start_date", "-id"),
        "memberships": person.memberships.select_related("union").order_by("-joined_on", "-id"),
        "holder": holder_names(user, [person]).get(person.pk),
        "may_change": policy.may_person(user, "change", person),
        "may_reveal": policy.may_see_personal_data(user, person),
    }


@page
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.access_person(request.user, pk)
    return render(request, "core/person_detail.html", _person_context(request.user, person))


@never_cache
@require_POST
@page
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the full ID number once, in this response only; the action records the view."""
    person = policy.access_person(request.user, pk)
    number = actions.reveal_id_number(request.user, person)
    return render(request, "core/person_detail.html", _person_context(request.user, person, number))


@page
def person_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = policy.access_organization(user, org_pk, "manage_people")
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, person = attempt(form, lambda: actions.register_person(
            user, org, data["name"], data["id_number"], data["mobile"]))
        if ok:
            messages.success(request, _("已登记“%(name)s”。") % {"name": person.name})
            return redirect("person-detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "org": org, "person": None})


@page
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    form = forms.PersonForm(request.POST or None, editing=True,
                            initial={"name": person.name, "mobile": person.mobile})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _p = attempt(form, lambda: actions.update_person(user, person, data["name"], data["mobile"]))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("person-detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "org": None, "person": person})


def _person_form_page(request, person: Person, form, call, title: str, done: str) -> HttpResponse:
    """The shared shape of the employment and membership pages: one form, one action."""
    if request.method == "POST" and form.is_valid():
        ok, _result = attempt(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect("person-detail", pk=person.pk)
    return render(request, "core/person_action.html", {"form": form, "person": person, "title": title})


@page
def employment_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    form = forms.EmploymentForm(request.POST or None, user=user, initial={
        "start_date": timezone.localdate(), "form": "labour_contract"})
    return _person_form_page(request, person, form, lambda d: actions.start_employment(
        user, person, d["enterprise"], d["start_date"], d["form"], d["monthly_wage"],
    ), _("登记就业"), _("已登记就业。"))


@page
def employment_end(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    job = person.employments.select_related("enterprise").filter(pk=job_pk).first()
    if job is None:
        raise Http404
    form = forms.EndEmploymentForm(request.POST or None, initial={"end_date": timezone.localdate()})
    title = _("办理离职：%(name)s") % {"name": job.enterprise.name}
    return _person_form_page(request, person, form, lambda d: actions.end_employment(
        user, job, d["end_date"]), title, _("已办理离职。"))


def _default_union(user, person: Person) -> int | None:
    """The union of the person's current employer, the usual choice when joining."""
    job = queries.current_employment(person)
    if job is None:
        return None
    union = policy.visible_organizations(user).filter(parent=job.enterprise_id, kind=Kind.ENTERPRISE_UNION).first()
    return union.pk if union else None


@page
def membership_join(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    form = forms.JoinUnionForm(request.POST or None, user=user, initial={
        "joined_on": timezone.localdate(), "union": _default_union(user, person)})
    return _person_form_page(request, person, form, lambda d: actions.join_union(
        user, person, d["union"], d["joined_on"]), _("加入工会"), _("已办理入会。"))


def _membership(person: Person, member_pk: int):
    member = person.memberships.select_related("union", "person").filter(pk=member_pk).first()
    if member is None:
        raise Http404
    return member


@page
def membership_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    member = _membership(person, member_pk)
    form = forms.LeaveUnionForm(request.POST or None, initial={"left_on": timezone.localdate()})
    title = _("办理离会：%(name)s") % {"name": member.union.name}
    return _person_form_page(request, person, form, lambda d: actions.leave_union(
        user, member, d["left_on"]), title, _("已办理离会。"))


@page
def membership_transfer(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = request.user
    person = policy.access_person(user, pk, "change")
    member = _membership(person, member_pk)
    form = forms.TransferForm(request.POST or None, user=user, exclude=member.union,
                              initial={"on": timezone.localdate()})
    title = _("办理转会：从%(name)s转出") % {"name": member.union.name}
    return _person_form_page(request, person, form, lambda d: actions.transfer_membership(
        user, member, d["union"], d["on"]), title, _("已办理转会。"))
