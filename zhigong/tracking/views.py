"""Pages of decision tracking: the public tracking page of a resolution and of an accepted
proposal (a timeline with dated progress, evidence and each step's trail proof), the
enterprise overview with charts, and the spreadsheet imports (measures; accepted proposals) with
their row-level error report.

Public means: to everyone who may see the enterprise's congress (its workers, delegates, the
union and the federations above), as 厂务公开 is public to the enterprise's workers; an outsider
gets 404. The proofs themselves are checked against /api/v1/trail/head, which needs no login.
Every page reads through tracking.queries and changes only through tracking.actions / batch."""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.models import Department, Organization
from zhigong.core.views import attempt, page
from zhigong.participation.views import VERB_LABELS as PROPOSAL_VERBS
from zhigong.tracking import actions, batch, forms, queries, rules, spreadsheet
from zhigong.tracking.models import Evidence, ImportBatch, Measure

NAV = {"nav_section": "tracking"}
PAGE_SIZE = 20
REPORT_SECONDS = 3600

STATE_LABELS = {
    rules.UNPLANNED: gettext_lazy("未分解措施"),
    rules.CARRYING_OUT: gettext_lazy("落实中"),
    rules.CARRIED_OUT: gettext_lazy("已落实"),
    rules.NOT_TRACKED: gettext_lazy("无需落实"),
}
VERB_LABELS = {
    "congress.round.close": gettext_lazy("职代会表决通过"),
    "congress.item.advise": gettext_lazy("职代会审议"),
    "tracking.plan": gettext_lazy("制定落实计划"),
    "tracking.measure": gettext_lazy("分解落实措施"),
    "tracking.progress": gettext_lazy("填报进度"),
    "tracking.evidence": gettext_lazy("补充佐证"),
    "tracking.import": gettext_lazy("批量导入进度"),
    **PROPOSAL_VERBS,
}


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def departments_of(enterprise: Organization) -> list[Department]:
    return list(Department.objects.filter(enterprise=enterprise).order_by("name"))


def _department(enterprise: Organization, pk: int | None) -> Department | None:
    return Department.objects.filter(pk=pk, enterprise=enterprise).first() if pk else None


def label_steps(steps) -> list:
    for step in steps:
        step.label = VERB_LABELS.get(step.verb, step.verb)
    return steps


# --- Index and overview --------------------------------------------------------------------------

@page
def index(request: HttpRequest) -> HttpResponse:
    """The enterprises with a congress that the user may see; one goes straight to its overview."""
    search = request.GET.get("q", "").strip()
    rows = policy.visible_organizations(request.user).filter(kind=Organization.Kind.ENTERPRISE,
                                                             congress__isnull=False).order_by("name")
    if search:
        rows = rows.filter(name__contains=search)
    if not search and rows.count() == 1:
        return redirect("tracking-overview", pk=rows.get().pk)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "tracking/index.html", {"page_obj": page_obj, "search": search})


@page
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = queries.access_enterprise(request.user, pk)
    today = timezone.localdate()
    figures = queries.overview(request.user, enterprise, today)
    page_obj = Paginator(queries.enterprise_resolutions(enterprise), PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = queries.annotate_resolutions(page_obj.object_list, today)
    for r in page_obj.object_list:
        r.state_label = STATE_LABELS[r.state]
    states = [(STATE_LABELS[s], n) for s, n in figures["resolution_states"].items()]
    proposal_states = [(queries.State(s).label, n) for s, n in figures["proposal_states"].items()]
    late = figures["overdue_by_department"]
    charts = {
        "resolutions": {"labels": [str(label) for label, _n in states], "series": [
            {"name": _("决议数"), "data": [n for _label, n in states]}]},
        "proposals": {"labels": [str(label) for label, _n in proposal_states], "series": [
            {"name": _("提案数"), "data": [n for _label, n in proposal_states]}]},
        "departments": {"labels": [name or _("未指定部门") for name, _n in late],
                        "series": [{"name": _("逾期措施"), "data": [n for _name, n in late]}]},
    }
    return render_page(request, "tracking/overview.html", {
        "enterprise": enterprise, "figures": figures, "states": states, "proposal_states": proposal_states,
        "charts": charts, "page_obj": page_obj, "may_manage": actions.may_manage(request.user, enterprise),
        "overdue": queries.overdue_measures(enterprise, today)[:50], "today": today,
        "proposals": queries.enterprise_proposals(request.user, enterprise)[:10],
        "proposal_count": sum(n for _label, n in proposal_states),
    })


@page
def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = queries.access_enterprise(request.user, pk)
    page_obj = Paginator(queries.enterprise_proposals(request.user, enterprise), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render_page(request, "tracking/proposals.html", {"enterprise": enterprise, "page_obj": page_obj})


# --- A resolution ----------------------------------------------------------------------------------

def resolution_context(request: HttpRequest, resolution, bound: dict | None = None) -> dict:
    user = request.user
    tracking = queries.resolution_tracking(resolution)
    enterprise = tracking.enterprise
    manage = actions.may_manage(user, enterprise) and tracking.trackable
    departments = departments_of(enterprise) if manage else []
    bound = bound or {}
    for m in tracking.measures:
        m.may_report = actions.may_report(user, m) and tracking.trackable
        if m.may_report:
            m.form = bound.get(f"m{m.pk}") or forms.ProgressForm(prefix=f"m{m.pk}", initial={"percent": m.progress})
    plan = tracking.plan
    return {
        "t": tracking, "resolution": resolution, "enterprise": enterprise, "state_label": STATE_LABELS[tracking.state],
        "steps": label_steps(tracking.steps), "may_manage": manage, "failed": bound.get("failed", ""),
        "plan_form": bound.get("plan") or (forms.PlanForm(departments=departments, initial={
            "due_on": tracking.due_on, "department": plan.department_id if plan else None}) if manage else None),
        "measure_form": bound.get("measure") or (forms.MeasureForm(departments=departments) if manage else None),
        "total_weight": sum(m.weight for m in tracking.measures),
    }


@page
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = queries.access_resolution(request.user, pk)
    return render_page(request, "tracking/resolution.html", resolution_context(request, resolution))


@require_POST
@page
def plan_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resolution = queries.access_resolution(user, pk)
    enterprise = actions.enterprise_of(resolution)
    form = forms.PlanForm(request.POST, departments=departments_of(enterprise))
    if form.is_valid():
        data = form.cleaned_data
        ok, _plan = attempt(form, lambda: actions.plan_resolution(user, resolution, data["due_on"],
                                                                   _department(enterprise, data["department"])))
        if ok:
            messages.success(request, _("落实计划已保存。"))
            return redirect("tracking-resolution", pk=resolution.pk)
    return render_page(request, "tracking/resolution.html",
                       resolution_context(request, resolution, {"plan": form, "failed": "plan"}), status=400)


@require_POST
@page
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resolution = queries.access_resolution(user, pk)
    enterprise = actions.enterprise_of(resolution)
    form = forms.MeasureForm(request.POST, departments=departments_of(enterprise))
    if form.is_valid():
        d = form.cleaned_data
        ok, _measure = attempt(form, lambda: actions.add_measure(
            user, resolution, d["title"], d["weight"], d["due_on"], _department(enterprise, d["department"]),
            d["reason"]))
        if ok:
            messages.success(request, _("措施已添加。"))
            return redirect("tracking-resolution", pk=resolution.pk)
    return render_page(request, "tracking/resolution.html",
                       resolution_context(request, resolution, {"measure": form, "failed": "measure"}), status=400)


@require_POST
@page
def measure_progress(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    measure = queries.access(user, Measure, pk)
    resolution = measure.plan.resolution
    form = forms.ProgressForm(request.POST, request.FILES, prefix=f"m{measure.pk}")
    if form.is_valid():
        d = form.cleaned_data
        ok, _entry = attempt(form, lambda: actions.report_progress(user, measure, d["percent"], d["note"], d["on"],
                                                                   d["reason"], d["files"]))
        if ok:
            messages.success(request, _("进度已记录。"))
            return redirect(f"{resolution_url(resolution)}#measure-{measure.pk}")
    return render_page(request, "tracking/resolution.html", resolution_context(
        request, resolution, {f"m{measure.pk}": form, "failed": f"m{measure.pk}"}), status=400)


def resolution_url(resolution) -> str:
    from django.urls import reverse

    return reverse("tracking-resolution", args=[resolution.pk])


@page
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the resolution."""
    row = queries.access(request.user, Evidence, pk)
    inline = row.content_type.startswith("image/") or row.content_type == "application/pdf"
    return FileResponse(row.file.open("rb"), as_attachment=not inline, filename=row.title,
                        content_type=row.content_type)


# --- An accepted proposal ------------------------------------------------------------------------

@page
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = queries.access_proposal(request.user, pk)
    tracking = queries.proposal_tracking(proposal)
    return render_page(request, "tracking/proposal.html", {
        "t": tracking, "proposal": proposal, "steps": label_steps(tracking.steps)})


# --- The spreadsheet -------------------------------------------------------------------------------

def _managed(request: HttpRequest, pk: int) -> Organization:
    enterprise = queries.access_enterprise(request.user, pk)
    if not actions.may_manage(request.user, enterprise):
        from zhigong.core.errors import PermissionDenied

        raise PermissionDenied("import")
    return enterprise


KINDS = {
    "measures": {"layout": spreadsheet.MEASURES, "import": batch.import_progress, "rows": batch.template_rows,
                 "open": batch.open_measures, "page": "tracking-import", "file": "tracking"},
    "proposals": {"layout": spreadsheet.PROPOSALS, "import": batch.import_proposals,
                  "rows": batch.proposal_template_rows, "open": batch.open_proposals,
                  "page": "tracking-import-proposals", "file": "proposals"},
}


def _template_response(enterprise: Organization, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    today = timezone.localdate()
    content = spreadsheet.template(spec["rows"](enterprise), today, spec["layout"])
    response = HttpResponse(content, content_type=spreadsheet.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec["file"]}-{enterprise.pk}-{today}.xlsx"'
    return response


@page
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_response(_managed(request, pk), "measures")


@page
def proposal_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_response(_managed(request, pk), "proposals")


def _import_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Upload a filled template: all rows are written, or none and every error is listed here
    and in a downloadable report."""
    user = request.user
    spec = KINDS[kind]
    enterprise = _managed(request, pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors, report_key, status = [], "", 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = spec["import"](user, enterprise, upload.read(), upload.name)
        except batch.ImportRefused as refused:
            errors, status = refused.errors, 400
            report_key = secrets.token_urlsafe(16)
            cache.set(f"tracking-report:{user.pk}:{report_key}",
                      spreadsheet.error_report(errors, upload.name), REPORT_SECONDS)
            form.add_error("file", str(refused.message))
        else:
            messages.success(request, _("已导入%(n)d条进度记录。") % {"n": imported.rows})
            return redirect(spec["page"], pk=enterprise.pk)
    elif request.method == "POST":
        status = 400
    page_obj = Paginator(ImportBatch.objects.filter(enterprise=enterprise, kind=kind).select_related("by")
                         .order_by("-id"), 10).get_page(request.GET.get("page"))
    return render_page(request, "tracking/import.html", {
        "enterprise": enterprise, "form": form, "errors": errors, "report_key": report_key, "page_obj": page_obj,
        "kind": kind, "open_count": spec["open"](enterprise).count()}, status=status)


@page
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_page(request, pk, "measures")


@page
def import_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_page(request, pk, "proposals")


@page
def import_report(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    _managed(request, pk)
    content = cache.get(f"tracking-report:{request.user.pk}:{key}")
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=spreadsheet.XLSX)
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    return response
