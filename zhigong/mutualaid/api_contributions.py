"""Contribution notices, payments and bank statements over JSON (part of /api/v1/mutualaid/).
A statement with problems answers 400 mutualaid.statement_rows with every row's problem in
details.errors and records nothing."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from zhigong.core import policy
from zhigong.core.errors import DomainError
from zhigong.mutualaid import actions_contributions as actions
from zhigong.mutualaid import pdf_contributions
from zhigong.mutualaid import queries_contributions as queries
from zhigong.mutualaid.models import Enrolment
from zhigong.mutualaid.schemas_fund import (
    InvoiceDetail,
    InvoiceIssueIn,
    InvoiceOut,
    InvoicePage,
    PaymentIn,
    PaymentOut,
    StatementOut,
)
from zhigong.mutualaid.statements import MAX_STATEMENT_BYTES

router = Router(tags=["mutualaid"])


def _detail(invoice) -> dict:
    invoice.refresh_from_db()
    return {**InvoiceOut.from_orm(invoice).dict(), "owed_fen": actions.owed_fen(invoice), "basis": invoice.basis,
            "enterprise_credit_fen": queries.enterprise_credit_fen(invoice.enterprise_id, invoice.enrolment.pool),
            "lines": list(queries.lines(invoice)), "payments": list(queries.payments(invoice))}


@router.post("/enrolments/{enrolment_id}/invoices", response={201: InvoiceDetail}, summary="开具缴费通知单")
def issue(request, enrolment_id: int, payload: InvoiceIssueIn):
    enrolment = policy.access_scoped(request.user, Enrolment.objects.select_related("pool", "enterprise", "version"),
                                     enrolment_id, "enterprise", what="enrolment")
    invoice = actions.issue_invoice(request.user, enrolment, payload.period_start, payload.period_end)
    return Status(201, _detail(invoice))


@router.get("/invoices", response=InvoicePage, summary="缴费通知单")
def list_invoices(request, state: str = "", enterprise_id: int | None = None, page: int = 1, page_size: int = 20):
    qs = queries.visible_invoices(request.user)
    if state:
        qs = qs.filter(state=state)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.get("/invoices/{invoice_id}", response=InvoiceDetail, summary="缴费通知单详情（每行计算过程）")
def get_invoice(request, invoice_id: int):
    return _detail(queries.access_invoice(request.user, invoice_id))


@router.get("/invoices/{invoice_id}/pdf", summary="缴费通知单PDF")
def invoice_pdf(request, invoice_id: int):
    invoice = queries.access_invoice(request.user, invoice_id)
    response = HttpResponse(pdf_contributions.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@router.post("/invoices/{invoice_id}/payments", response={201: PaymentOut}, summary="登记缴费")
def record_payment(request, invoice_id: int, payload: PaymentIn):
    invoice = queries.access_invoice(request.user, invoice_id)
    return Status(201, actions.record_payment(request.user, invoice, payload.amount_fen, payload.paid_on,
                                              payload.bank_reference, payload.payer))


@router.post("/contribution-statements", response=StatementOut, summary="导入银行流水（按附言中的通知单号匹配）")
def import_statement(request, file: File[UploadedFile]):
    if file.size > MAX_STATEMENT_BYTES:
        raise DomainError("file.too_large", _("银行流水文件不能超过5MB。"), field="file")
    result = actions.import_statement(request.user, file.read(), file.name or "")
    if not result.statement.clean:
        raise DomainError("mutualaid.statement_rows", _("银行流水有问题，未导入任何记录，请按行号修改后重新导入。"),
                          field="file", errors=[e.__dict__ for e in result.statement.errors])
    rows = lambda items: [r.__dict__ for r in items]  # noqa: E731
    return {"recorded": rows(result.statement.rows), "skipped": rows(result.statement.skipped),
            "payment_ids": [p.pk for p in result.payments]}
