"""Pagination that stays fast over large scopes.

Django's Paginator counts every matching row on every page view. Over a province's tens of
thousands of organizations that COUNT costs more than the rest of the page together. Here a
count is exact while it is small (counted with a LIMIT, so a small scope pays for at most
LARGE + 1 rows); a large count is taken once and then kept in the cache for COUNT_SECONDS,
keyed by the query's SQL and parameters (so by user scope and filters). A large list may
therefore show a page count up to a minute old; the rows on the page are always current.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

LARGE = 1000
COUNT_SECONDS = 60


class ScopePaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        # A large count kept from an earlier view answers at once; otherwise count up to
        # LARGE + 1 rows, and only a large result pays for the full count (then kept).
        key = "paging:" + _fingerprint(rows)
        cached = cache.get(key)
        if cached is not None:
            return cached
        small = rows.order_by()[: LARGE + 1].count()
        if small <= LARGE:
            return small
        cached = rows.order_by().count()
        cache.set(key, cached, COUNT_SECONDS)
        return cached


def _fingerprint(rows: QuerySet) -> str:
    sql, params = rows.order_by().query.sql_with_params()
    text = f"{rows.db}|{sql}|{params!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def cached_for_scope(key_parts: tuple, compute, seconds: int = COUNT_SECONDS):
    """A figure of an overview (e.g. enterprises per federation below a root) kept in the
    cache for `seconds`, keyed by what it depends on."""
    key = "figure:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
