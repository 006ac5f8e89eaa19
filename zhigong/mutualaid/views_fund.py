"""Pages of plans, pools and contributions (part M1): plan list and detail with versions and
rules, the next version; pools with balances and charts, the federation dashboard, transfers;
contribution notices (page and PDF), payments by hand and bank-statement import.

Every page reads through queries_* (404 for outsiders) and changes only through actions_*; a
DomainError is shown beside the field it names and the input is kept."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization
from zhigong.core.views import attempt, page
from zhigong.mutualaid import (
    actions_contributions,
    actions_plans,
    actions_pools,
    pdf_contributions,
    queries_contributions,
    queries_plans,
    queries_pools,
)
from zhigong.mutualaid import forms_fund as forms
from zhigong.mutualaid.models import Enrolment, Invoice, PoolTransfer

NAV = {"nav_section": "mutualaid"}


def render_page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"mutualaid/fund/{template}", {**NAV, **context}, status=status)


def _is_staff(user) -> bool:
    return bool(policy.grants(user))


# --- Plans ----------------------------------------------------------------------------------------


@page
def plans(request: HttpRequest) -> HttpResponse:
    return render_page(request, "plans.html", {"plans": queries_plans.visible_plans(request.user),
                                               "staff": _is_staff(request.user)})


@page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries_plans.access_plan(request.user, pk)
    may = actions_plans.may_price(request.user, plan)
    form = forms.VersionForm(request.POST or None) if may else None
    if request.method == "POST":
        if not may:
            raise PermissionDenied("fund_price")
        if form.is_valid():
            data = form.cleaned_data
            terms = {"waiting_days": data["waiting_days"]} if data["waiting_days"] is not None else {}
            ok, version = attempt(form, lambda: actions_plans.create_next_version(
                request.user, plan, data["effective_from"], data["label"], data["price"], data["text"] or None,
                **terms))
            if ok:
                messages.success(request, _("已发布%(label)s版本，现行保障不受影响。") % {"label": version.label})
                return redirect("mutualaid-plan", pk=plan.pk)
    return render_page(request, "plan.html", {"plan": plan, "versions": queries_plans.versions(plan), "form": form},
                       status=400 if form is not None and form.errors else 200)


# --- Pools ----------------------------------------------------------------------------------------


def _federations(user):
    return [f for f in policy.visible_organizations(user).filter(
        kind=Organization.Kind.FEDERATION, level__in=["province", "city", "county"]).order_by("path")[:200]
        if policy.may_organization(user, "change", f)]


@page
def pools(request: HttpRequest) -> HttpResponse:
    user = request.user
    federations = _federations(user)
    form = None
    if federations:
        form = forms.PoolsForm(request.POST or None, federations=federations, plans=queries_plans.visible_plans(user))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("change")
        if form.is_valid():
            federation = policy.access_organization(user, form.cleaned_data["federation"], "change")
            chosen = [queries_plans.access_plan(user, pk) for pk in form.cleaned_data["plans"]]
            ok, made = attempt(form, lambda: actions_pools.create_pools(user, federation, chosen,
                                                                        form.cleaned_data["group"]))
            if ok:
                messages.success(request, _("已设立或更新%(n)d个资金池。") % {"n": len(made)})
                return redirect("mutualaid-pools")
    rows = [(p, queries_pools.figures(p)) for p in queries_pools.visible_pools(user).order_by("federation__path")[:300]]
    roots = sorted({p.federation for p, _f in rows if p.parent_id is None or p.parent not in {q for q, _ in rows}},
                   key=lambda f: f.path)
    return render_page(request, "pools.html", {"rows": rows, "form": form, "roots": roots},
                       status=400 if form is not None and form.errors else 200)


def _chart(pool) -> dict:
    months = queries_pools.monthly(pool)
    return {"name": pool.name, "labels": [m["month"] for m in months],
            "inflow": [m["inflow_fen"] / 100 for m in months], "outflow": [m["outflow_fen"] / 100 for m in months],
            "balance": [m["balance_fen"] / 100 for m in months],
            "transfer_in": [m["transfer_in_fen"] / 100 for m in months],
            "transfer_out": [m["transfer_out_fen"] / 100 for m in months]}


def _pool_page(request, pool, transfer_form=None, status=200) -> HttpResponse:
    user = request.user
    transfers = queries_pools.visible_transfers(user).filter(pk__in=(pool.transfers_in.values("pk")
                                                                     .union(pool.transfers_out.values("pk"))))
    may_request = pool.parent_id is not None and any(
        policy.may_organization(user, a, pool.federation) for a in ("fund_review", "fund_pay", "change"))
    decidable = {t.pk for t in transfers if t.state == PoolTransfer.State.REQUESTED
                 and policy.may_organization(user, "fund_approve", t.source.federation)}
    return render_page(request, "pool.html", {
        "pool": pool, "figures": queries_pools.figures(pool), "months": queries_pools.monthly(pool),
        "transfers": transfers[:100], "decidable": decidable, "charts": {"pools": [_chart(pool)]},
        "transfer_form": transfer_form or (forms.TransferForm() if may_request else None),
        "refuse_form": forms.RefuseForm(), "children": pool.children.all()}, status=status)


@page
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _pool_page(request, queries_pools.access_pool(request.user, pk))


@page
@require_POST
def pool_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    pool = queries_pools.access_pool(request.user, pk)
    form = forms.TransferForm(request.POST)
    if form.is_valid():
        ok, _t = attempt(form, lambda: actions_pools.request_transfer(
            request.user, pool, form.cleaned_data["amount"], form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _("调拨申请已提交，待上级资金池复审员批准。"))
            return redirect("mutualaid-pool", pk=pool.pk)
    return _pool_page(request, pool, form, status=400)


@page
@require_POST
def transfer_decide(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    transfer = queries_pools.access_transfer(request.user, pk)
    form = forms.RefuseForm(request.POST)
    try:
        if verb == "approve":
            with transaction.atomic():
                actions_pools.approve_transfer(request.user, transfer)
            messages.success(request, _("已批准并划拨。"))
        elif form.is_valid():
            actions_pools.refuse_transfer(request.user, transfer, form.cleaned_data["reason"])
            messages.success(request, _("已拒绝该调拨申请。"))
        else:
            messages.error(request, _("请填写拒绝理由。"))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("mutualaid-pool", pk=transfer.target_id)


@page
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    federation = policy.access_organization(request.user, pk)
    tree = queries_pools.visible_pools(request.user).filter(federation__path__startswith=federation.path) \
        .order_by("federation__path")[:60]
    rows = [(p, queries_pools.figures(p)) for p in tree]
    charts = [_chart(p) for p, _f in rows]
    for (_p, figures), chart in zip(rows, charts, strict=True):
        figures["has_months"] = bool(chart["labels"])
    totals = {k: sum(f[k] for _p, f in rows) for k in ("bank_fen", "receivable_fen", "payable_fen", "available_fen")}
    transfers = queries_pools.visible_transfers(request.user).filter(target__in=[p for p, _f in rows])[:50]
    return render_page(request, "dashboard.html", {
        "federation": federation, "rows": rows, "totals": totals, "transfers": transfers,
        "charts": {"pools": charts,
                   "levels": {"labels": [p.name for p, _f in rows],
                              "available": [f["available_fen"] / 100 for _p, f in rows]}}})


# --- Contributions --------------------------------------------------------------------------------


@page
def invoices(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = queries_contributions.visible_invoices(user)
    state = request.GET.get("state", "")
    if state in Invoice.State.values:
        qs = qs.filter(state=state)
    collect = queries_contributions.collectable(user).exists() or queries_contributions.awaiting_notice(user).exists()
    return render_page(request, "invoices.html", {
        "invoices": qs[:200], "count": qs.count(), "state": state, "states": Invoice.State.choices,
        "awaiting": queries_contributions.awaiting_notice(user)[:100] if collect else [],
        "statement_form": forms.StatementForm() if collect else None, "issue_form": forms.IssueForm()})


@page
@require_POST
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = policy.access_scoped(request.user, Enrolment.objects.select_related("pool", "enterprise", "version"),
                                     pk, "enterprise", what="enrolment")
    form = forms.IssueForm(request.POST)
    if form.is_valid():
        ok, invoice = attempt(form, lambda: actions_contributions.issue_invoice(
            request.user, enrolment, form.cleaned_data["period_start"], form.cleaned_data["period_end"]))
        if ok:
            messages.success(request, _("已开具缴费通知单%(n)s。") % {"n": invoice.number})
            return redirect("mutualaid-invoice", pk=invoice.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("mutualaid-invoices")


def _invoice_page(request, invoice, payment_form=None, status=200) -> HttpResponse:
    may = actions_contributions.may_collect(request.user, invoice.enrolment.pool)
    open_ = invoice.state in actions_contributions.OPEN_STATES
    return render_page(request, "invoice.html", {
        **pdf_contributions.invoice_context(invoice),
        "payment_form": payment_form or (forms.PaymentForm() if may and open_ else None)}, status=status)


@page
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_page(request, queries_contributions.access_invoice(request.user, pk))


@page
@require_POST
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = queries_contributions.access_invoice(request.user, pk)
    form = forms.PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, _p = attempt(form, lambda: actions_contributions.record_payment(
            request.user, invoice, data["amount"], data["paid_on"], data["bank_reference"], data["payer"]))
        if ok:
            messages.success(request, _("已登记缴费。"))
            return redirect("mutualaid-invoice", pk=invoice.pk)
    return _invoice_page(request, invoice, form, status=400)


@page
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = queries_contributions.access_invoice(request.user, pk)
    response = HttpResponse(pdf_contributions.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@page
def statement_import(request: HttpRequest) -> HttpResponse:
    form = forms.StatementForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        ok, result = attempt(form, lambda: actions_contributions.import_statement(
            request.user, upload.read(), upload.name or ""))
        if ok and result.statement.clean:
            messages.success(request, _("已登记%(n)d笔缴费，%(s)d笔此前已登记而跳过。")
                             % {"n": len(result.payments), "s": len(result.statement.skipped)})
    bad = form.errors or (result is not None and not result.statement.clean)
    return render_page(request, "statement.html", {"form": form, "result": result},
                       status=400 if bad else 200)
