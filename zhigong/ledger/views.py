"""Pages of the ledger: books, balances by account with a month range, trial balance, journal,
an entry with its reversal, statements of an enterprise and of a worker; xlsx/CSV exports.
Each view parses, calls one query or action, renders."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core.views import attempt, page
from zhigong.ledger import actions, chart, exports, forms, queries
from zhigong.ledger.exports import Money
from zhigong.ledger.models import Leg

NAV = {"nav_section": "ledger"}
PAGE_SIZE = 50


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def _export_kind(request: HttpRequest) -> str:
    kind = request.GET.get("export", "")
    return kind if kind in ("xlsx", "csv") else ""


@page
def index(request: HttpRequest) -> HttpResponse:
    books = list(queries.visible_books(request.user).order_by("owner__path", "code"))
    banks = dict(Leg.objects.filter(book__in=[b.pk for b in books], account__code=chart.BANK)
                 .values("book").annotate(s=Sum("amount_fen")).order_by().values_list("book", "s"))
    rows = [(book, banks.get(book.pk) or 0) for book in books]
    return _render(request, "ledger/index.html", {"rows": rows})


@page
def book(request: HttpRequest, pk: int) -> HttpResponse:
    book = queries.access_book(request.user, pk)
    form = forms.RangeForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = queries.balances(book, start, end)
    if kind := _export_kind(request):
        return exports.response(kind, f"balances-{book.code}", _("科目余额表"), [
            _("科目代码"), _("科目名称"), _("期初余额（借正贷负）"), _("本期借方"), _("本期贷方"),
            _("期末余额（借正贷负）")],
            [(r.account.code, r.account.display_name, Money(r.opening_fen), Money(r.debit_fen), Money(r.credit_fen),
              Money(r.closing_fen)) for r in rows])
    totals = {"debit": sum(r.debit_fen for r in rows), "credit": sum(r.credit_fen for r in rows)}
    return _render(request, "ledger/book.html", {
        "book": book, "form": form, "rows": rows, "totals": totals, "closed": queries.closed_months(book)[:12],
        "may_close": actions.may(request.user, "ledger_close", book), "close_form": forms.CloseForm()})


@page
def trial(request: HttpRequest, pk: int) -> HttpResponse:
    book = queries.access_book(request.user, pk)
    form = forms.UntilForm(request.GET or None)
    until = form.cleaned_data["until"] if form.is_bound and form.is_valid() else None
    trial = queries.trial_balance(book, until)
    if kind := _export_kind(request):
        rows = [(a.code, a.display_name, Money(d), Money(c)) for a, d, c in trial.rows]
        rows.append(("", _("合计"), Money(trial.debit_total_fen), Money(trial.credit_total_fen)))
        return exports.response(kind, f"trial-{book.code}", _("试算平衡表"),
                                [_("科目代码"), _("科目名称"), _("借方余额"), _("贷方余额")], rows)
    return _render(request, "ledger/trial.html", {"book": book, "form": form, "trial": trial, "until": until})


@page
def entries(request: HttpRequest, pk: int) -> HttpResponse:
    book = queries.access_book(request.user, pk)
    form = forms.UntilForm(request.GET or None)
    month = form.cleaned_data["until"] if form.is_bound and form.is_valid() else None
    account = request.GET.get("account", "")[:12]
    qs = queries.entries(request.user, book, month, account).prefetch_related("legs__account")
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "ledger/entries.html", {"book": book, "form": form, "page_obj": page_obj,
                                                    "account": account})


@page
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = queries.access_entry(request.user, pk)
    return _entry_page(request, entry, forms.ReverseForm())


def _entry_page(request, entry, form, status=200) -> HttpResponse:
    legs = list(queries.legs_of(entry))
    return _render(request, "ledger/entry.html", {
        "entry": entry, "legs": legs, "reversal": queries.reversal_of(entry), "form": form,
        "may_reverse": actions.may(request.user, "ledger_post", entry.book) and entry.reverses_id is None,
        "debit_total": sum(leg.amount_fen for leg in legs if leg.amount_fen > 0)}, status=status)


@page
@require_POST
def reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = queries.access_entry(request.user, pk)
    form = forms.ReverseForm(request.POST)
    if form.is_valid():
        ok, reversal = attempt(form, lambda: actions.reverse(request.user, entry, form.cleaned_data["reason"],
                                                             form.cleaned_data["day"]))
        if ok:
            messages.success(request, _("已冲销，冲销凭证为 #%(id)s。") % {"id": reversal.pk})
            return redirect("ledger-entry", pk=reversal.pk)
    return _entry_page(request, entry, form, status=400)


@page
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    book = queries.access_book(request.user, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        ok, period = attempt(form, lambda: actions.close_period(request.user, book, form.cleaned_data["month"]))
        if ok:
            messages.success(request, _("%(month)s 已结账。") % {"month": period.month.strftime("%Y-%m")})
            return redirect("ledger-book", pk=book.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("ledger-book", pk=book.pk)


@page
def enterprise_statement(request: HttpRequest, org_pk: int) -> HttpResponse:
    form = forms.RangeForm(request.GET or None)
    start, end = _range(form)
    org, legs = queries.enterprise_statement(request.user, org_pk, start, end)
    return _statement(request, org.name, f"statement-org-{org.pk}", legs, form)


@page
def worker_statement(request: HttpRequest, person_pk: int) -> HttpResponse:
    form = forms.RangeForm(request.GET or None)
    start, end = _range(form)
    person, legs = queries.worker_statement(request.user, person_pk, start, end)
    return _statement(request, person.name, f"statement-person-{person.pk}", legs, form)


def _range(form):
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end is not None:
            end = _month_end(end)
        return start, end
    return None, None


def _month_end(month):
    from datetime import timedelta

    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _statement(request, party: str, name: str, legs, form) -> HttpResponse:
    if kind := _export_kind(request):
        return exports.response(kind, name, _("对账单"), [
            _("日期"), _("凭证号"), _("摘要"), _("账套"), _("科目"), _("借方"), _("贷方")],
            [(leg.entry.day, leg.entry_id, leg.entry.memo, leg.book.name,
              f"{leg.account.code} {leg.account.display_name}", Money(max(leg.amount_fen, 0)),
              Money(max(-leg.amount_fen, 0))) for leg in legs.iterator()])
    page_obj = Paginator(legs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "ledger/statement.html", {
        "party": party, "page_obj": page_obj, "form": form, "totals": queries.statement_totals(legs)})
