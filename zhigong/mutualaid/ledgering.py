"""Every posting of the mutual-aid fund's plans, pools and contributions goes through here into
zhigong.ledger (docs/mutualaid/pools.md lists the entries), so that how the fund reaches the
ledger is decided in one place.

Postings into a pool the acting officer holds no ledger grant over are the rule rows'
consequences of an action the fund's policy already allowed: the city's and province's shares of
a county notice or payment, the upper pool's side of an automatic shortfall draw. The ledger
checks its own policy on every posting, so those are posted by the fund's posting service
(`service_for`), an account that cannot sign in and holds a treasurer grant over exactly the
federations whose pool books it has posted into; each such posting is a trail event naming the
officer whose action caused it. (When the ledger takes an "authorised by" argument this becomes
one call.)
"""

from datetime import date

from django.db import connection
from django.db.models import Sum

from zhigong import trail
from zhigong.core.models import Role, RoleGrant, User
from zhigong.ledger import actions as ledger
from zhigong.ledger import chart
from zhigong.ledger.models import Account, Book, Entry, Leg
from zhigong.ledger.rules import credit, debit

__all__ = ["chart", "credit", "debit", "post", "transfer", "available_fen", "locked_available_fen", "posted"]


SERVICE_USERNAME = "mutualaid-posting"


def service_for(*books: Book) -> User:
    """The fund's posting service with a treasurer grant over the owners of `books`."""
    user, created = User.objects.get_or_create(username=SERVICE_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        trail.record(None, "mutualaid.service_account", user, {"username": SERVICE_USERNAME})
    for book in books:
        grant, made = RoleGrant.objects.get_or_create(user=user, role=Role.TREASURER, organization=book.owner)
        if made:  # the grant is part of the trail like every grant given through core.actions
            trail.record(None, "mutualaid.service_grant", grant, {
                "user": user.pk, "role": Role.TREASURER, "organization": book.owner_id, "book": book.pk})
    return User.objects.get(pk=user.pk)  # fresh: policy caches grants on the instance


def _poster(actor, books: list[Book], why: str) -> object:
    if all(ledger.may(actor, "ledger_post", book) for book in books):
        return actor
    service = service_for(*books)
    trail.record(actor, "mutualaid.post_on_behalf", books[0], {
        "books": [b.pk for b in books], "why": why, "service": service.pk})
    return service


def post(actor, book: Book, day: date, memo: str, legs, source=None, key: str | None = None) -> Entry:
    """Call only from a mutualaid action that has checked its own policy (see the module doc)."""
    return ledger.post(_poster(actor, [book], memo), book, day, memo, legs, source=source, key=key)


def transfer(actor, source: Book, target: Book, day: date, amount_fen: int, memo: str, key: str,
             origin=None) -> tuple[Entry, Entry]:
    """Bank to bank between two pools' books; the source's bank may not go below zero."""
    return ledger.transfer(_poster(actor, [source, target], memo), source, target, day, amount_fen, memo,
                           key=key, source_minimum_fen=0, origin=origin)


def posted(book: Book, key: str) -> Entry | None:
    return Entry.objects.filter(book=book, key=key).first()


def _signed(book: Book, code: str) -> int:
    return Leg.objects.filter(book=book, account__code=code).aggregate(s=Sum("amount_fen"))["s"] or 0


def available_fen(book: Book | None) -> int:
    """Money in the bank not yet promised to approved claims: bank − claims payable."""
    if book is None:
        return 0
    return _signed(book, chart.BANK) + _signed(book, chart.CLAIMS_PAYABLE)  # payable is credit (−)


def locked_available_fen(book: Book) -> int:
    """available_fen after taking the book's bank and claims-payable rows FOR UPDATE (in
    primary-key order). Call inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("locked_available_fen must run inside transaction.atomic()")
    ledger.lock_accounts(Account.objects.filter(book=book, code__in=[chart.BANK, chart.CLAIMS_PAYABLE]))
    return available_fen(book)
