"""复式记账 over JSON (mounted at /api/v1/ledger/ by zhigong/api.py): every read, and posting,
reversing and closing through the same actions as the pages."""

from datetime import date

from ninja import Router, Status

from zhigong.core import policy
from zhigong.core.errors import DomainError
from zhigong.ledger import actions, queries
from zhigong.ledger.models import Entry
from zhigong.ledger.rules import Line
from zhigong.ledger.schemas import (
    BalanceOut,
    BookDetail,
    BookIn,
    BookOut,
    CloseIn,
    EntryDetail,
    EntryIn,
    EntryOut,
    EntryPage,
    PeriodOut,
    ReverseIn,
    StatementOut,
    TrialOut,
)

router = Router(tags=["ledger"])
STATEMENT_LINES = 5000


def _detail_book(book) -> dict:
    # By alias: BookDetail reads owner_name and region_code from "owner.name" and "region_id".
    return {**BookOut.from_orm(book).dict(by_alias=True), "accounts": list(book.accounts.order_by("code")),
            "closed_months": queries.closed_months(book)}


def _detail_entry(entry: Entry) -> dict:
    reversal = queries.reversal_of(entry)
    return {**EntryOut.from_orm(entry).dict(),
            "legs": list(queries.legs_of(entry)), "reversed_by_id": reversal.pk if reversal else None}


@router.get("/books", response=list[BookOut], summary="可查看的账套")
def books(request):
    return list(queries.visible_books(request.user))


@router.post("/books", response={201: BookDetail}, summary="开设账套（含标准科目表）")
def open_book(request, payload: BookIn):
    owner = policy.access_organization(request.user, payload.owner_id)
    book = actions.open_book(request.user, owner, payload.name, payload.chart, payload.code, payload.kind)
    return Status(201, _detail_book(book))


@router.get("/books/{book_id}", response=BookDetail, summary="账套与科目")
def book(request, book_id: int):
    return _detail_book(queries.access_book(request.user, book_id))


@router.get("/books/{book_id}/balances", response=list[BalanceOut], summary="科目余额（按期间）")
def balances(request, book_id: int, start: date | None = None, end: date | None = None):
    book = queries.access_book(request.user, book_id)
    return [{"account": r.account.code, "name": r.account.name, "type": r.account.type,
             "opening_fen": r.opening_fen, "debit_fen": r.debit_fen, "credit_fen": r.credit_fen,
             "closing_fen": r.closing_fen, "natural_closing_fen": r.natural_closing_fen}
            for r in queries.balances(book, start, end)]


@router.get("/books/{book_id}/trial-balance", response=TrialOut, summary="试算平衡表")
def trial_balance(request, book_id: int, until: date | None = None):
    trial = queries.trial_balance(queries.access_book(request.user, book_id), until)
    return {"rows": [{"account": a.code, "name": a.name, "debit_fen": d, "credit_fen": c} for a, d, c in trial.rows],
            "debit_total_fen": trial.debit_total_fen, "credit_total_fen": trial.credit_total_fen,
            "balanced": trial.balanced}


@router.get("/books/{book_id}/entries", response=EntryPage, summary="凭证列表")
def entries(request, book_id: int, month: date | None = None, account: str = "", page: int = 1,
            page_size: int = 50):
    qs = queries.entries(request.user, queries.access_book(request.user, book_id), month, account)
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.post("/books/{book_id}/entries", response={201: EntryDetail}, summary="记账（借贷必须相等）")
def post_entry(request, book_id: int, payload: EntryIn):
    book = queries.access_book(request.user, book_id)
    entry = actions.post(request.user, book, payload.day, payload.memo, [_line(leg) for leg in payload.legs],
                         key=payload.key)
    return Status(201, _detail_entry(entry))


def _line(leg) -> Line:
    if (leg.debit_fen > 0) == (leg.credit_fen > 0):
        from django.utils.translation import gettext as _

        raise DomainError("ledger.leg_side", _("每条分录只能填写借方或贷方金额中的一个。"), field="legs")
    return Line(leg.account, leg.debit_fen - leg.credit_fen, leg.organization_id, leg.person_id)


@router.post("/books/{book_id}/periods", response={201: PeriodOut}, summary="结账（月）")
def close_period(request, book_id: int, payload: CloseIn):
    book = queries.access_book(request.user, book_id)
    return Status(201, actions.close_period(request.user, book, payload.month))


@router.get("/entries/{entry_id}", response=EntryDetail, summary="凭证详情")
def entry(request, entry_id: int):
    return _detail_entry(queries.access_entry(request.user, entry_id))


@router.post("/entries/{entry_id}/reverse", response={201: EntryDetail}, summary="冲销凭证")
def reverse(request, entry_id: int, payload: ReverseIn):
    entry = queries.access_entry(request.user, entry_id)
    return Status(201, _detail_entry(actions.reverse(request.user, entry, payload.reason, payload.day, payload.key)))


@router.get("/organizations/{org_id}/statement", response=StatementOut, summary="企业往来对账单")
def enterprise_statement(request, org_id: int, start: date | None = None, end: date | None = None):
    org, legs = queries.enterprise_statement(request.user, org_id, start, end)
    return _statement(org.name, legs)


@router.get("/people/{person_id}/statement", response=StatementOut, summary="职工个人收支明细")
def worker_statement(request, person_id: int, start: date | None = None, end: date | None = None):
    person, legs = queries.worker_statement(request.user, person_id, start, end)
    return _statement(person.name, legs)


def _statement(party: str, legs) -> dict:
    """The first STATEMENT_LINES lines; the totals are over all of them."""
    totals = queries.statement_totals(legs)
    lines = [{"entry_id": leg.entry_id, "day": leg.entry.day, "memo": leg.entry.memo, "book_id": leg.book_id,
              "book": leg.book.name, "account": leg.account.code, "amount_fen": leg.amount_fen}
             for leg in legs[:STATEMENT_LINES]]
    return {"party": party, "lines": lines, "debit_total_fen": sum(t["debit"] for t in totals),
            "credit_total_fen": sum(t["credit"] for t in totals)}
