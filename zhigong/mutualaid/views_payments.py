"""Pages of electronic payment: the treasurer's queue of approved claims per pool, a batch made
after confirmation, its detail with the bank file (xlsx / CSV), the voucher PDF and the upload
of the bank's return file with its report; the worker's own claims and payments on a phone.

Every page reads through queries_payments (404 for outsiders) and changes only through
actions_payments; a DomainError is shown beside the field it names."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.views import attempt, page
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid import forms_payments as forms
from zhigong.mutualaid import queries_payments as queries
from zhigong.mutualaid.models import PaymentBatch

NAV = {"nav_section": "mutualaid"}


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"mutualaid/payments/{template}", {**NAV, **context}, status=status)


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    payable = queries.payable_pools(user)
    totals = queries.queue_totals_by_pool(payable)
    pools = [(pool, totals[pool.pk]) for pool in payable]
    return render_page(request, "index.html", {"pools": pools, "batches": queries.batches_of(user)[:30]})


@page
def pool_queue(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pool = queries.access_pool(user, pk)
    claims = queries.queue(user, pool)
    return render_page(request, "queue.html", {
        "pool": pool, "claims": claims[:500], "totals": queries.queue_totals(claims),
        "may_pay": actions.may_pay(user, pool), "batches": queries.batches_of(user, pool)[:20]})


@page
def confirm_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?claims=1&claims=2 (from the queue) shows what the batch will hold; POST with the
    confirmation box makes it."""
    user = request.user
    pool = queries.access_pool(user, pk)
    if not actions.may_pay(user, pool):
        raise PermissionDenied("create_batch")
    if request.method == "POST":
        form = forms.ConfirmBatchForm(request.POST)
        ids = forms.parse_ids(request.POST.get("claims", "").split(","))
    else:
        ids = forms.parse_ids(request.GET.getlist("claims"))
        form = None
    chosen = queries.queue(user, pool).filter(pk__in=ids)
    totals = queries.queue_totals(chosen)
    if form is None:
        form = forms.ConfirmBatchForm(initial={"claims": ",".join(map(str, ids)),
                                               "expected_total_fen": totals["total_fen"]})
    elif form.is_valid():
        data = form.cleaned_data
        try:
            batch = actions.create_batch(user, pool, data["claims"], data["expected_total_fen"])
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("支付批次%(number)s已生成，共%(count)d笔。")
                             % {"number": batch.number, "count": batch.count})
            return redirect("mutualaid-payments-batch", pk=batch.pk)
    return render_page(request, "confirm.html", {"pool": pool, "claims": chosen, "totals": totals, "form": form,
                                                 "chosen": bool(ids)})


def _batch_page(request: HttpRequest, batch: PaymentBatch, return_form=None, report=None,
                row_errors=None, status: int = 200) -> HttpResponse:
    user = request.user
    return render_page(request, "batch.html", {
        "batch": batch, "pool": batch.pool, "payouts": queries.payouts_of(batch),
        "figures": queries.batch_figures(batch), "may_pay": actions.may_pay(user, batch.pool),
        "return_form": return_form or forms.ReturnFileForm(), "report": report, "row_errors": row_errors or [],
    }, status=status)


@page
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, queries.access_batch(request.user, pk))


@require_POST
@page
def batch_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    batch = queries.access_batch(request.user, pk)
    try:
        exported = actions.export_batch(request.user, batch, fmt)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("mutualaid-payments-batch", pk=batch.pk)
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    response["Cache-Control"] = "no-store"  # it holds full bank accounts
    return response


@page
def batch_voucher(request: HttpRequest, pk: int) -> HttpResponse:
    from zhigong.mutualaid.pdf_payments import voucher_pdf

    batch = queries.access_batch(request.user, pk)
    response = HttpResponse(voucher_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{batch.number}-voucher.pdf"'
    return response


@require_POST
@page
def batch_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    batch = queries.access_batch(user, pk)
    form = forms.ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _batch_page(request, batch, return_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = actions.import_return(user, batch, upload.read(), upload.name)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_error("file", str(exc.message))
        return _batch_page(request, batch, return_form=form, row_errors=exc.details.get("errors", []), status=400)
    batch.refresh_from_db()
    return _batch_page(request, batch, report=report)


@page
def mine(request: HttpRequest) -> HttpResponse:
    return render_page(request, "mine.html", {"claims": queries.my_claims(request.user)[:50]})




@page
def correct_account(request: HttpRequest, pk: int) -> HttpResponse:
    """The worker (or their union) gives new bank details after the bank refused a payment."""
    from zhigong.mutualaid import queries_claims

    user = request.user
    claim = queries_claims.access_claim(user, pk)
    if not actions.may_correct_account(user, claim):
        raise PermissionDenied("payment_account")
    form = forms.AccountForm(request.POST or None, initial={"bank_name": claim.bank_name,
                                                           "account_holder": claim.account_holder})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _claim = attempt(form, lambda: actions.correct_account(
            user, claim, data["bank_name"], data["account_holder"], data["account_number"]))
        if done:
            messages.success(request, _("收款账户已更正，将在下一批次支付。"))
            return redirect("mutualaid-claims-detail", pk=claim.pk)
    failed = claim.payouts.filter(state="failed").order_by("-pk").first()
    return render_page(request, "account.html", {"claim": claim, "form": form, "failed": failed},
                       status=400 if form.errors else 200)
