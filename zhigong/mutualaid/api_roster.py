"""The roster (电子基础台账) over JSON (part of /api/v1/mutualaid/): the template, uploads and
their check, the error report, the import, the enterprise's cover with search and export, one
worker typed in, collective enrolment, renewal, leaving, moving, and a worker's own cover.
Errors are {code, message, details}; a roster with wrong columns answers 400 roster.columns
with each column's problem in details.issues."""

from datetime import date

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhigong.core.errors import DomainError, NotFound
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid import queries_roster as queries
from zhigong.mutualaid import xlsx_roster
from zhigong.mutualaid.models import Plan
from zhigong.mutualaid.schemas_roster import (
    CoverageOut,
    CoveragePage,
    EnrolledOut,
    EnrolmentDetail,
    ImportIn,
    LeaveIn,
    MembersIn,
    MoveIn,
    RenewedOut,
    UploadDetail,
    UploadOut,
    WorkerIn,
)

router = Router(tags=["mutualaid"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}}


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _enterprise(request, pk: int, action: str = "view"):
    return queries.access_enterprise(request.user, pk, action)


@router.get("/roster/enterprises/{enterprise_id}/template", summary="下载花名册模板（xlsx）", response={200: bytes},
            openapi_extra=XLSX_RESPONSE)
def template(request, enterprise_id: int, starts_on: date | None = None):
    from django.utils import timezone

    enterprise = _enterprise(request, enterprise_id)
    plans = [terms for terms, _where in queries.plan_terms(enterprise, starts_on or timezone.localdate()).values()
             if terms.has_pool]
    return _xlsx(xlsx_roster.template(plans), "roster-template.xlsx")


@router.post("/roster/enterprises/{enterprise_id}/uploads", response={201: UploadDetail},
             summary="上传花名册并逐行校验（不写入花名册）")
def upload(request, enterprise_id: int, file: File[UploadedFile], starts_on: Form[date]):
    enterprise = _enterprise(request, enterprise_id)
    return Status(201, actions.check_roster(request.user, enterprise, file, starts_on))


@router.get("/roster/enterprises/{enterprise_id}/uploads", response=list[UploadOut], summary="花名册上传记录")
def uploads(request, enterprise_id: int):
    return list(queries.uploads_of(request.user, _enterprise(request, enterprise_id))[:100])


@router.get("/roster/uploads/{upload_id}", response=UploadDetail, summary="花名册校验结果")
def upload_detail(request, upload_id: int):
    return queries.access_upload(request.user, upload_id)


@router.get("/roster/uploads/{upload_id}/errors.xlsx", summary="错误报告（xlsx：行号、列、问题说明）",
            response={200: bytes}, openapi_extra=XLSX_RESPONSE)
def error_report(request, upload_id: int):
    found = queries.access_upload(request.user, upload_id)
    return _xlsx(xlsx_roster.error_report(found.errors, found.error_rows), f"roster-{found.pk}-errors.xlsx")


@router.post("/roster/uploads/{upload_id}/import", response=UploadDetail,
             summary="导入花名册（全部无误时导入；或明确选择只导入无误的行）")
def import_upload(request, upload_id: int, payload: ImportIn):
    found = queries.access_upload(request.user, upload_id)
    return actions.import_roster(request.user, found, only_clean_rows=payload.only_clean_rows)


@router.post("/roster/uploads/{upload_id}/discard", response=UploadOut, summary="放弃该花名册")
def discard(request, upload_id: int):
    return actions.discard_upload(request.user, queries.access_upload(request.user, upload_id))


@router.get("/roster/enterprises/{enterprise_id}/coverages", response=CoveragePage,
            summary="企业参保花名册（按姓名、身份证后四位或手机号检索）")
def coverages(request, enterprise_id: int, q: str = "", plan: str = "", state: str = "", on: date | None = None,
              page: int = 1, page_size: int = 50):
    qs = queries.roster(request.user, _enterprise(request, enterprise_id), q, plan, state, on)
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.get("/roster/enterprises/{enterprise_id}/coverages.xlsx", summary="导出参保花名册（xlsx，身份证号脱敏）",
            response={200: bytes}, openapi_extra=XLSX_RESPONSE)
def export(request, enterprise_id: int, q: str = "", plan: str = "", state: str = ""):
    qs = queries.roster(request.user, _enterprise(request, enterprise_id), q, plan, state)
    return _xlsx(xlsx_roster.roster_export(queries.export_rows(qs)), f"roster-{enterprise_id}.xlsx")


@router.post("/roster/enterprises/{enterprise_id}/coverages", response={201: CoverageOut}, summary="单个职工参保")
def enrol_worker(request, enterprise_id: int, payload: WorkerIn):
    enterprise = _enterprise(request, enterprise_id)
    fields = payload.dict(exclude={"starts_on"})
    return Status(201, actions.enrol_worker(request.user, enterprise, fields, payload.starts_on))


@router.get("/roster/enterprises/{enterprise_id}/enrolments", response=list[EnrolmentDetail],
            summary="企业参保（各计划、各保障期）及参保率")
def enrolments(request, enterprise_id: int):
    found = list(queries.enrolments_of(request.user, _enterprise(request, enterprise_id))[:50])
    for enrolment in found:
        enrolment.participation = queries.participation(enrolment)
    return found


@router.post("/roster/enterprises/{enterprise_id}/enrol-members", response=EnrolledOut,
             summary="从会员名册集体参保（低于参保率下限时提示）")
def enrol_members(request, enterprise_id: int, payload: MembersIn):
    enterprise = _enterprise(request, enterprise_id)
    plan = Plan.objects.filter(code=payload.plan_code).first()
    if plan is None:
        raise DomainError("plan.unknown", _unknown_plan(payload.plan_code), field="plan_code")
    result = actions.enrol_members(request.user, enterprise, plan, payload.starts_on, payload.shares)
    return {"enrolment": result.enrolment, "written": result.written, "already": result.already,
            "refused": result.refused, "participation": result.participation}


def _unknown_plan(code: str) -> str:
    from zhigong.mutualaid.messages_roster import MESSAGES

    return MESSAGES["plan.unknown"] % {"plan": code[:40]}


@router.post("/roster/enrolments/{enrolment_id}/renew", response=RenewedOut, summary="整体续保到下一保障期")
def renew(request, enrolment_id: int):
    enrolment = queries.access_enrolment(request.user, enrolment_id)
    result = actions.renew_enrolment(request.user, enrolment)
    return {"enrolment": result.enrolment, "written": result.written, "refused": result.refused}


@router.get("/roster/coverages/{coverage_id}", response=CoverageOut, summary="职工保障详情")
def coverage(request, coverage_id: int):
    return queries.access_coverage(request.user, coverage_id)


@router.post("/roster/coverages/{coverage_id}/leave", response=CoverageOut, summary="离职（保障至已缴费期末）")
def leave(request, coverage_id: int, payload: LeaveIn):
    return actions.leave(request.user, queries.access_coverage(request.user, coverage_id), payload.left_on)


@router.post("/roster/coverages/{coverage_id}/move", response={201: CoverageOut},
             summary="转移接续到另一企业（次日起保障，不再设等待期）")
def move(request, coverage_id: int, payload: MoveIn):
    cover = queries.access_coverage(request.user, coverage_id)
    try:
        to = queries.access_enterprise(request.user, payload.enterprise_id)
    except NotFound:
        raise NotFound("enterprise") from None
    return Status(201, actions.move(request.user, cover, to, payload.left_on))


@router.get("/roster/my/coverages", response=list[CoverageOut], summary="我的互助保障")
def my_coverages(request):
    return list(queries.my_coverages(request.user).select_related("person").order_by("-starts_on")[:50])
