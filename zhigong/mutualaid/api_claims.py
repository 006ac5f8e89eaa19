"""Claims over JSON (part of /api/v1/mutualaid/): the coverages a user may claim on, submission
and documents, the worker's own claims, the officer queue, the detail with its computation
step by step, reviews, the one appeal, and batch adjudication."""

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhigong.core.errors import NotFound
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid import batch_claims
from zhigong.mutualaid import queries_claims as queries
from zhigong.mutualaid.presenting_claims import steps, verbs
from zhigong.mutualaid.schemas_claims import (
    BatchAdjudicateIn,
    BatchAdjudicateOut,
    ClaimDetail,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    CoverageOut,
    DocumentOut,
    ReasonIn,
)

router = Router(tags=["mutualaid"])


def _detail(request, claim):
    """The claim as the user may see it, with its computation, flags and what they may do now."""
    claim = queries.access_claim(request.user, claim.pk)
    claim.overdue = queries.is_overdue(claim)
    claim.steps = steps(claim)
    claim.verbs = sorted(verbs(request.user, claim))
    return claim


@router.get("/claimable-coverages", response=list[CoverageOut], summary="可申请互助金的保障（本人或本企业职工）")
def claimable_coverages(request, limit: int = 200):
    qs = queries.claimable_coverages(request.user).order_by("-starts_on", "pk")
    return list(qs[: min(max(limit, 1), 1000)])


@router.post("/claims", response={201: ClaimDetail}, summary="提交互助金申请（职工本人或企业工会代办）")
def submit_claim(request, payload: ClaimIn):
    data = actions.ClaimInput(**{**payload.dict(), "lines": [line.dict() for line in payload.lines]})
    return Status(201, _detail(request, actions.submit_claim(request.user, data)))


@router.post("/claims/{claim_id}/documents", response={201: DocumentOut}, summary="补充申请材料（发票、出院小结等）")
def add_document(request, claim_id: int, kind: Form[str], file: File[UploadedFile]):
    claim = queries.access_claim(request.user, claim_id)
    return Status(201, actions.add_document(request.user, claim, kind, file))


@router.get("/claims/{claim_id}/documents/{document_id}", summary="下载申请材料", response={200: bytes},
            openapi_extra={"responses": {200: {"description": "材料原件", "content": {"application/pdf": {}}}}})
def get_document(request, claim_id: int, document_id: int):
    claim = queries.access_claim(request.user, claim_id)
    document = claim.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    with document.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=document.content_type)
    response["Content-Disposition"] = "attachment"
    return response


@router.get("/my/claims", response=list[ClaimOut], summary="我的互助金申请")
def my_claims(request):
    return list(queries.my_claims(request.user).select_related("person")[:200])


@router.get("/claims", response=ClaimPage, summary="互助金申请审核队列（可按状态、超期、疑似重复筛选）")
def claim_queue(request, state: str = "", overdue: bool = False, flagged: bool = False, q: str = "",
                enterprise_id: int | None = None, page: int = 1, page_size: int = 20):
    qs = queries.queue(request.user, state, overdue, flagged, q, enterprise_id)
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.get("/claims/{claim_id}", response=ClaimDetail, summary="互助金申请详情及计算过程")
def get_claim(request, claim_id: int):
    return _detail(request, queries.access_claim(request.user, claim_id))


@router.post("/claims/{claim_id}/approve", response=ClaimDetail, summary="审核通过（初审、复审或申诉复核）")
def approve_claim(request, claim_id: int):
    claim = queries.access_claim(request.user, claim_id)
    return _detail(request, actions.approve_claim(request.user, claim))


@router.post("/claims/{claim_id}/reject", response=ClaimDetail, summary="审核不通过（须说明理由）")
def reject_claim(request, claim_id: int, payload: ReasonIn):
    claim = queries.access_claim(request.user, claim_id)
    return _detail(request, actions.reject_claim(request.user, claim, payload.reason))


@router.post("/claims/{claim_id}/appeal", response=ClaimDetail, summary="对不予给付的决定申诉（限一次）")
def appeal_claim(request, claim_id: int, payload: ReasonIn):
    claim = queries.access_claim(request.user, claim_id)
    return _detail(request, actions.appeal_claim(request.user, claim, payload.reason))


@router.post("/claims/{claim_id}/adjudicate", response=ClaimDetail, summary="按计划规则重新核定")
def adjudicate_claim(request, claim_id: int):
    claim = queries.access_claim(request.user, claim_id)
    return _detail(request, actions.adjudicate_claim(request.user, claim))


@router.post("/claims-adjudication", response=BatchAdjudicateOut, summary="批量重新核定")
def adjudicate_batch(request, payload: BatchAdjudicateIn):
    visible = set(queries.visible_claims(request.user).filter(pk__in=payload.claim_ids).values_list("pk", flat=True))
    if len(visible) != len(set(payload.claim_ids)):
        raise NotFound("claim")
    result = batch_claims.adjudicate_claims(request.user, payload.claim_ids)
    return result.__dict__
