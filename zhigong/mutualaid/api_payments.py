"""Electronic payment over JSON (part of /api/v1/mutualaid/): the payment queue of a pool,
batches, the bank file, the voucher PDF, the bank's return file, and a worker's own claim
payments. Errors are {code, message, details}; a return file with problems answers 400
payments.return_rows with every row's problem in details.errors."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from zhigong.core.bankfiles import MAX_RETURN_BYTES
from zhigong.core.errors import DomainError
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid import queries_payments as queries
from zhigong.mutualaid.schemas_payments import (
    AccountIn,
    BatchDetail,
    BatchIn,
    BatchOut,
    MyClaimOut,
    QueueOut,
    ReturnReportOut,
)

router = Router(tags=["mutualaid"])


def _detail(batch) -> dict:
    batch.refresh_from_db()
    return {**BatchOut.from_orm(batch).dict(), "payouts": list(queries.payouts_of(batch))}


@router.get("/pools/{pool_id}/payment-queue", response=QueueOut, summary="资金池待支付的已核准申请")
def payment_queue(request, pool_id: int):
    pool = queries.access_pool(request.user, pool_id)
    claims = queries.queue(request.user, pool)
    return {"pool_id": pool.pk, **queries.queue_totals(claims), "claims": list(claims[:1000])}


@router.post("/pools/{pool_id}/payment-batches", response={201: BatchDetail}, summary="生成支付批次")
def create_batch(request, pool_id: int, payload: BatchIn):
    pool = queries.access_pool(request.user, pool_id)
    batch = actions.create_batch(request.user, pool, payload.claim_ids, payload.expected_total_fen)
    return Status(201, _detail(batch))


@router.get("/payment-batches", response=list[BatchOut], summary="支付批次列表")
def list_batches(request, pool_id: int | None = None, limit: int = 50):
    pool = queries.access_pool(request.user, pool_id) if pool_id else None
    return list(queries.batches_of(request.user, pool)[: min(max(limit, 1), 500)])


@router.get("/payment-batches/{batch_id}", response=BatchDetail, summary="支付批次详情")
def get_batch(request, batch_id: int):
    return _detail(queries.access_batch(request.user, batch_id))


@router.post("/payment-batches/{batch_id}/export", summary="导出银行批量付款文件（xlsx或csv，可重复导出）",
             response={200: bytes}, openapi_extra={"responses": {200: {"description": "银行批量付款文件", "content": {
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                 "text/csv": {}}}}})
def export_batch(request, batch_id: int, format: str = "xlsx"):  # noqa: A002 (the query parameter's name)
    batch = queries.access_batch(request.user, batch_id)
    exported = actions.export_batch(request.user, batch, format)
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/payment-batches/{batch_id}/voucher", summary="支付凭证PDF（合计金额大写）", response={200: bytes},
            openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}})
def voucher(request, batch_id: int):
    from zhigong.mutualaid.pdf_payments import voucher_pdf

    batch = queries.access_batch(request.user, batch_id)
    response = HttpResponse(voucher_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{batch.number}-voucher.pdf"'
    return response


@router.post("/payment-batches/{batch_id}/return", response=ReturnReportOut, summary="导入银行回盘文件")
def import_return(request, batch_id: int, file: File[UploadedFile]):
    batch = queries.access_batch(request.user, batch_id)
    if file.size > MAX_RETURN_BYTES:
        raise DomainError("file.too_large", _("回盘文件不能超过5MB。"), field="file")
    report = actions.import_return(request.user, batch, file.read(), file.name or "")
    return {"batch": report.batch, "paid": report.paid, "failed": report.failed, "skipped": report.skipped,
            "paid_fen": report.paid_fen, "failed_rows": report.failed_rows}


def _mine(claim) -> dict:
    return {"id": claim.pk, "number": claim.number, "state": claim.state, "state_label": claim.get_state_display(),
            "approved_fen": claim.approved_fen, "paid_at": claim.paid_at, "account_masked": claim.account_masked,
            "payouts": list(claim.payouts.order_by("-pk"))}


@router.get("/my/claim-payments", response=list[MyClaimOut], summary="我的互助金申请和支付情况")
def my_claim_payments(request):
    return [_mine(c) for c in queries.my_claims(request.user)[:100]]


@router.post("/claims/{claim_id}/payment-account", response=MyClaimOut, summary="银行支付失败后更正收款账户")
def correct_account(request, claim_id: int, payload: AccountIn):
    from zhigong.mutualaid.queries_claims import access_claim

    claim = access_claim(request.user, claim_id)
    return _mine(actions.correct_account(request.user, claim, payload.bank_name, payload.account_holder,
                                         payload.account_number))
