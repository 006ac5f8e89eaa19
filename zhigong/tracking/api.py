"""决策追踪 over JSON (mounted at /api/v1/tracking/ by zhigong/api.py). Reads are for whoever
may see the resolution or proposal; the proofs in them check against /api/v1/trail/head."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile

from zhigong.core.errors import NotFound, PermissionDenied
from zhigong.core.models import Department
from zhigong.tracking import actions, batch, queries, spreadsheet
from zhigong.tracking.models import Entry, Measure
from zhigong.tracking.schemas import (
    EntryOut,
    EvidenceOut,
    ImportOut,
    MeasureIn,
    MeasureOut,
    OverviewOut,
    PlanIn,
    ProgressIn,
    ProposalPage,
    ProposalTrackingOut,
    ResolutionPage,
    ResolutionTrackingOut,
)
from zhigong.trail.api import ErrorOut

router = Router(tags=["tracking"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _department(enterprise, pk: int | None) -> Department | None:
    if pk is None:
        return None
    found = Department.objects.filter(pk=pk, enterprise=enterprise).first()
    if found is None:
        raise NotFound("department")
    return found


def measure_out(m: Measure) -> dict:
    return {"id": m.pk, "number": m.number, "title": m.title, "weight": m.weight,
            "department": m.department.name if m.department_id else None, "due_on": m.due_on,
            "progress": m.progress, "done_on": m.done_on, "overdue": getattr(m, "overdue", False)}


def step_out(step) -> dict:
    return {"seq": step.seq, "at": step.at, "verb": step.verb, "leaf": step.leaf,
            "entry_ids": [e.pk for e in step.entries], "measure_id": step.measure.pk if step.measure else None,
            "proof": step.proof}


def resolution_out(t) -> dict:
    r = t.resolution
    return {"resolution_id": r.pk, "number": r.number, "text": r.text, "enterprise_id": t.enterprise.pk,
            "decided_on": t.decided_on, "state": t.state, "progress": t.progress, "due_on": t.due_on,
            "overdue": t.overdue, "department": t.plan.department.name if t.plan and t.plan.department_id else None,
            "carried_out_on": t.plan.carried_out_on if t.plan else None,
            "measures": [measure_out(m) for m in t.measures], "entries": t.entries,
            "steps": [step_out(s) for s in t.steps]}


def _page(page: int, page_size: int) -> tuple[int, int, int]:
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    return page, page_size, (page - 1) * page_size


# --- Reads -----------------------------------------------------------------------------------------

@router.get("/resolutions/{resolution_id}", response={200: ResolutionTrackingOut, **ERRORS},
            summary="决议落实追踪（含每一步的留痕证明）")
def resolution_tracking(request, resolution_id: int):
    return resolution_out(queries.resolution_tracking(queries.access_resolution(request.user, resolution_id)))


@router.get("/proposals/{proposal_id}", response={200: ProposalTrackingOut, **ERRORS},
            summary="已立案提案的落实追踪（含每一步的留痕证明）")
def proposal_tracking(request, proposal_id: int):
    t = queries.proposal_tracking(queries.access_proposal(request.user, proposal_id))
    p = t.proposal
    return {"proposal_id": p.pk, "number": p.number, "title": p.title, "state": p.state, "progress": p.progress,
            "lead_department": p.lead_department.name if p.lead_department_id else None, "due_on": p.due_on,
            "overdue": t.overdue, "updates": t.updates, "steps": [step_out(s) for s in t.steps]}


@router.get("/enterprises/{enterprise_id}/overview", response={200: OverviewOut, **ERRORS},
            summary="企业决议落实总览")
def overview(request, enterprise_id: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    today = timezone.localdate()
    figures = queries.overview(request.user, enterprise, today)
    late = [measure_out(m) | {"overdue": True} for m in queries.overdue_measures(enterprise, today)[:100]]
    return {"enterprise_id": enterprise.pk, **figures, "overdue_measures": late}


@router.get("/enterprises/{enterprise_id}/resolutions", response={200: ResolutionPage, **ERRORS},
            summary="企业的决议及落实状态")
def resolutions(request, enterprise_id: int, page: int = 1, page_size: int = 20):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    rows = queries.enterprise_resolutions(enterprise)
    page, page_size, start = _page(page, page_size)
    items = queries.annotate_resolutions(rows[start:start + page_size], timezone.localdate())
    return {"count": rows.count(), "page": page, "page_size": page_size, "items": [
        {"id": r.pk, "number": r.number, "title": r.item.title, "decided_on": r.decided_on,
         "state": r.state, "progress": r.progress, "due_on": r.due_on, "overdue": r.overdue} for r in items]}


@router.get("/enterprises/{enterprise_id}/proposals", response={200: ProposalPage, **ERRORS},
            summary="企业已立案提案的落实情况")
def proposals(request, enterprise_id: int, page: int = 1, page_size: int = 20):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    rows = queries.enterprise_proposals(request.user, enterprise)
    page, page_size, start = _page(page, page_size)
    return {"count": rows.count(), "page": page, "page_size": page_size, "items": list(rows[start:start + page_size])}


# --- Changes -----------------------------------------------------------------------------------------

@router.put("/resolutions/{resolution_id}/plan", response={200: ResolutionTrackingOut, **ERRORS},
            summary="制定或修改落实计划（牵头部门、落实期限）")
def plan(request, resolution_id: int, payload: PlanIn):
    resolution = queries.access_resolution(request.user, resolution_id)
    department = _department(actions.enterprise_of(resolution), payload.department_id)
    actions.plan_resolution(request.user, resolution, payload.due_on, department)
    return resolution_out(queries.resolution_tracking(resolution))


@router.post("/resolutions/{resolution_id}/measures", response={201: MeasureOut, **ERRORS},
             summary="把决议分解为一项落实措施")
def add_measure(request, resolution_id: int, payload: MeasureIn):
    resolution = queries.access_resolution(request.user, resolution_id)
    department = _department(actions.enterprise_of(resolution), payload.department_id)
    measure = actions.add_measure(request.user, resolution, payload.title, payload.weight, payload.due_on,
                                  department, payload.reason)
    return Status(201, measure_out(measure))


@router.post("/measures/{measure_id}/progress", response={201: EntryOut, **ERRORS}, summary="填报措施进度")
def report(request, measure_id: int, payload: ProgressIn):
    measure = queries.access(request.user, Measure, measure_id)
    return Status(201, actions.report_progress(request.user, measure, payload.percent, payload.note, payload.on,
                                               payload.reason))


@router.post("/entries/{entry_id}/evidence", response={201: EvidenceOut, **ERRORS}, summary="上传落实佐证")
def evidence(request, entry_id: int, file: File[UploadedFile]):
    entry = queries.access(request.user, Entry, entry_id)
    return Status(201, actions.add_evidence(request.user, entry, file))


@router.get("/enterprises/{enterprise_id}/template.xlsx", response={200: None, **ERRORS},
            summary="下载进度导入模板（本企业未完成的措施）")
def template(request, enterprise_id: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    if not actions.may_manage(request.user, enterprise):
        raise PermissionDenied("template")
    return xlsx(spreadsheet.template(batch.template_rows(enterprise), timezone.localdate()),
                f"tracking-{enterprise.pk}.xlsx")


@router.post("/enterprises/{enterprise_id}/import", response={201: ImportOut, **ERRORS},
             summary="批量导入进度（全部正确才写入；否则 400，details.errors 列出每一处错误的行和列）")
def import_progress(request, enterprise_id: int, file: File[UploadedFile]):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return Status(201, batch.import_progress(request.user, enterprise, file.read(), file.name or "upload.xlsx"))


@router.get("/enterprises/{enterprise_id}/proposals-template.xlsx", response={200: None, **ERRORS},
            summary="下载提案进度导入模板（本企业已答复、正在落实的提案）")
def proposal_template(request, enterprise_id: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    if not actions.may_manage(request.user, enterprise):
        raise PermissionDenied("template")
    return xlsx(spreadsheet.template(batch.proposal_template_rows(enterprise), timezone.localdate(),
                                     spreadsheet.PROPOSALS), f"proposals-{enterprise.pk}.xlsx")


@router.post("/enterprises/{enterprise_id}/proposals-import", response={201: ImportOut, **ERRORS},
             summary="批量导入已立案提案的落实进度（全部正确才写入；否则 400，details.errors 列出每一处错误的行和列）")
def import_proposals(request, enterprise_id: int, file: File[UploadedFile]):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return Status(201, batch.import_proposals(request.user, enterprise, file.read(), file.name or "upload.xlsx"))


def xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheet.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
