"""Locks that guard the ledger, in one place (Saleor's lock_objects), always in the same order:
the book row first, then account rows by primary key.

- Posting takes the book row FOR SHARE: postings run side by side, while closing a month
  (FOR UPDATE on the same row) waits until the postings under way have committed, and
  postings that come later see the closed month. SQLite serialises writers anyway.
- A guarded posting (or locked_balance) takes its account rows FOR UPDATE.
"""

from collections.abc import Iterable

from django.db import connection

from zhigong.ledger.models import Account, Book


def book_for_posting(book: Book) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM ledger_book WHERE id = %s FOR SHARE", [book.pk])


def book_for_closing(book: Book) -> None:
    Book.objects.select_for_update().filter(pk=book.pk).first()


def accounts(rows: Iterable[Account]) -> list[Account]:
    """FOR UPDATE on account rows, in primary-key order (no deadlocks between two payers)."""
    ids = sorted({a.pk for a in rows})
    return list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
