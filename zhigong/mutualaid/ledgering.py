"""Every posting of the mutual-aid fund's plans, pools and contributions goes through here into
zhigong.ledger (docs/mutualaid/pools.md lists the entries), so that how the fund reaches the
ledger is decided in one place.

Postings into a pool the acting officer holds no ledger grant over are the rule rows'
consequences of an action the fund's policy already allowed: the city's and province's shares of
a county notice or payment, the upper pool's side of an automatic shortfall draw. The ledger
checks its own policy on every posting unless the call names the fund step that authorised it
(`authorised_by="mutualaid.<step>"`); the entry then stays posted by the officer whose action
caused it, and the ledger's trail event records the step.
"""

from datetime import date

from django.db import connection
from django.db.models import Sum

from zhigong.ledger import actions as ledger
from zhigong.ledger import chart
from zhigong.ledger.models import Account, Book, Entry, Leg
from zhigong.ledger.rules import credit, debit

__all__ = ["chart", "credit", "debit", "post", "transfer", "available_fen", "locked_available_fen", "posted",
           "enterprise_credit_fen", "lock_credit"]


def _authorised_by(actor, books: list[Book], why: str) -> str:
    """"" when the officer's own ledger grants cover every book; else the fund step that
    authorised the posting (a short verb for the ledger's trail event)."""
    if all(ledger.may(actor, "ledger_post", book) for book in books):
        return ""
    return f"mutualaid.{why}"[:64]


def post(actor, book: Book, day: date, memo: str, legs, source=None, key: str | None = None,
         step: str = "posting") -> Entry:
    """Call only from a mutualaid action that has checked its own policy (see the module doc)."""
    return ledger.post(actor, book, day, memo, legs, source=source, key=key,
                       authorised_by=_authorised_by(actor, [book], step))


def transfer(actor, source: Book, target: Book, day: date, amount_fen: int, memo: str, key: str,
             origin=None, step: str = "transfer") -> tuple[Entry, Entry]:
    """Bank to bank between two pools' books; the source's bank may not go below zero."""
    return ledger.transfer(actor, source, target, day, amount_fen, memo, key=key, source_minimum_fen=0,
                           origin=origin, authorised_by=_authorised_by(actor, [source, target], step))


def posted(book: Book, key: str) -> Entry | None:
    return Entry.objects.filter(book=book, key=key).first()


def _signed(book: Book, code: str) -> int:
    return Leg.objects.filter(book=book, account__code=code).aggregate(s=Sum("amount_fen"))["s"] or 0


def available_fen(book: Book | None) -> int:
    """Money in the bank not yet promised to approved claims: bank − claims payable."""
    if book is None:
        return 0
    return _signed(book, chart.BANK) + _signed(book, chart.CLAIMS_PAYABLE)  # payable is credit (−)


def enterprise_credit_fen(book: Book | None, organization_id: int) -> int:
    """The enterprise's credit (预收缴费, 2203, party the enterprise) held in a pool's book:
    overpayments not yet applied to a notice. A liability: credit legs are negative."""
    if book is None:
        return 0
    total = Leg.objects.filter(book=book, account__code=chart.PREPAID, party_organization_id=organization_id) \
        .aggregate(s=Sum("amount_fen"))["s"] or 0
    return -total


def lock_credit(books: list[Book]) -> None:
    """FOR UPDATE on the prepayment (2203) account rows of the books, in primary-key order, so
    two notices of one enterprise never apply the same credit. Call inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_credit must run inside transaction.atomic()")
    ledger.lock_accounts(Account.objects.filter(book__in=books, code=chart.PREPAID))


def locked_available_fen(book: Book) -> int:
    """available_fen after taking the book's bank and claims-payable rows FOR UPDATE (in
    primary-key order). Call inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("locked_available_fen must run inside transaction.atomic()")
    ledger.lock_accounts(Account.objects.filter(book=book, code__in=[chart.BANK, chart.CLAIMS_PAYABLE]))
    return available_fen(book)
