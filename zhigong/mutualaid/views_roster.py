"""Pages of the roster (电子基础台账): the enterprises one may see, an enterprise's roster with
search, pages and export, the upload and its report with the error report and the import
confirmation, an enrolment with its participation rate, collective enrolment and renewal, and a
worker's cover with leaving and moving.

Every page reads through queries_roster (404 for outsiders) and changes only through
actions_roster; a DomainError is shown beside the field it names, the input kept."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.models import Organization
from zhigong.core.views import attempt, page
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid import forms_roster as forms
from zhigong.mutualaid import queries_roster as queries
from zhigong.mutualaid import xlsx_roster
from zhigong.mutualaid.models import Coverage, Plan, RosterUpload

NAV = {"nav_section": "mutualaid"}
PAGE_SIZE = 50
SHOWN_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"mutualaid/roster/{template}", {**NAV, **context}, status=status)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _manages(user, enterprise: Organization) -> bool:
    return policy.may_organization(user, actions.MANAGE, enterprise)


@page
def index(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    enterprises = policy.visible_organizations(request.user).filter(kind=Organization.Kind.ENTERPRISE)
    if search:
        enterprises = enterprises.filter(name__contains=search)
    page_obj = Paginator(enterprises.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "index.html", {"page_obj": page_obj, "search": search})


@page
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_enterprise(user, pk)
    search, plan = request.GET.get("q", "").strip(), request.GET.get("plan", "")
    rows = queries.roster(user, org, search, plan)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    enrolments = list(queries.enrolments_of(user, org)[:20])
    for enrolment in enrolments:
        enrolment.participation = queries.participation(enrolment)
    return render_page(request, "enterprise.html", {
        "org": org, "page_obj": page_obj, "search": search, "plan": plan, "enrolments": enrolments,
        "plans": queries.offered_plans(org), "uploads": queries.uploads_of(user, org)[:10],
        "may_manage": _manages(user, org)})


@page
def template(request: HttpRequest, pk: int) -> HttpResponse:
    org = queries.access_enterprise(request.user, pk)
    plans = [terms for terms, _where in queries.plan_terms(org, timezone.localdate()).values() if terms.has_pool]
    return _xlsx(xlsx_roster.template(plans), "roster-template.xlsx")


@page
def export(request: HttpRequest, pk: int) -> HttpResponse:
    org = queries.access_enterprise(request.user, pk)
    rows = queries.roster(request.user, org, request.GET.get("q", ""), request.GET.get("plan", ""))
    return _xlsx(xlsx_roster.roster_export(queries.export_rows(rows)), f"roster-{org.pk}.xlsx")


@page
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_enterprise(user, pk, actions.MANAGE)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, found = attempt(form, lambda: actions.check_roster(user, org, data["file"], data["starts_on"]))
        if done:
            return redirect("aid-roster-upload", pk=found.pk)
    return render_page(request, "upload.html", {"org": org, "form": form})


@page
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.access_upload(user, pk)
    form = forms.ImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        only_clean = form.cleaned_data["only_clean_rows"]
        done, _result = attempt(form, lambda: actions.import_roster(user, found, only_clean_rows=only_clean))
        if done:
            messages.success(request, _("花名册已导入。"))
            return redirect("aid-roster-upload", pk=found.pk)
        found.refresh_from_db()
    return render_page(request, "report.html", {
        "upload": found, "form": form, "errors": found.errors[:SHOWN_ERRORS], "shown": SHOWN_ERRORS,
        "may_import": found.state == RosterUpload.State.CHECKED and _manages(user, found.enterprise),
        "clean_rows": found.rows - found.error_rows})


@page
def error_report(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.access_upload(request.user, pk)
    return _xlsx(xlsx_roster.error_report(found.errors, found.error_rows), f"roster-{found.pk}-errors.xlsx")


@page
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.access_upload(request.user, pk)
    actions.discard_upload(request.user, found)
    messages.success(request, _("已放弃该花名册，未导入任何数据。"))
    return redirect("aid-roster-enterprise", pk=found.enterprise_id)


@page
def enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.access_enrolment(user, pk)
    return render_page(request, "enrolment.html", {
        "enrolment": found, "participation": queries.participation(found),
        "coverages": found.coverages.count(), "may_manage": _manages(user, found.enterprise),
        "renewal": found.__class__.objects.filter(renewed_from=found).first()})


@page
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.access_enrolment(user, pk, actions.MANAGE)
    try:
        result = actions.renew_enrolment(user, found)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("aid-roster-enrolment", pk=found.pk)
    messages.success(request, _("已续保%(n)s人；%(m)s人不符合条件未续保。")
                     % {"n": result.written, "m": len(result.refused)})
    return redirect("aid-roster-enrolment", pk=result.enrolment.pk)


@page
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """集体参保 from the member register."""
    user = request.user
    org = queries.access_enterprise(user, pk, actions.MANAGE)
    plans = list(queries.offered_plans(org))
    form = forms.MembersForm(request.POST or None, plans=plans)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = Plan.objects.get(code=data["plan"])
        done, result = attempt(form, lambda: actions.enrol_members(user, org, plan, data["starts_on"], data["shares"]))
    return render_page(request, "members.html", {"org": org, "form": form, "result": result,
                                                 "members": queries.current_members(org).count()})


@page
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cover = queries.access_coverage(user, pk)
    may_manage = _manages(user, cover.enterprise)
    leave_form = forms.LeaveForm(request.POST if request.POST.get("do") == "leave" else None, prefix="leave")
    targets = [] if not may_manage else list(
        policy.visible_organizations(user).filter(kind=Organization.Kind.ENTERPRISE).exclude(pk=cover.enterprise_id)
        .order_by("name")[:200])
    move_form = forms.MoveForm(request.POST if request.POST.get("do") == "move" else None, prefix="move",
                               enterprises=targets)
    if request.method == "POST" and request.POST.get("do") == "leave" and leave_form.is_valid():
        done, _r = attempt(leave_form, lambda: actions.leave(user, cover, leave_form.cleaned_data["left_on"]))
        if done:
            messages.success(request, _("已办理离职。"))
            return redirect("aid-roster-coverage", pk=cover.pk)
    if request.method == "POST" and request.POST.get("do") == "move" and move_form.is_valid():
        data = move_form.cleaned_data
        to = queries.access_enterprise(user, data["enterprise"])
        done, new = attempt(move_form, lambda: actions.move(user, cover, to, data["left_on"]))
        if done:
            messages.success(request, _("已转移接续到%(name)s。") % {"name": to.name})
            return redirect("aid-roster-coverage", pk=new.pk)
    open_cover = cover.left_on is None and cover.state != Coverage.State.ENDED
    return render_page(request, "coverage.html", {"cover": cover, "may_manage": may_manage and open_cover,
                                                  "leave_form": leave_form, "move_form": move_form})
