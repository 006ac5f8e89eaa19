"""Pagination and figures that stay fast over large scopes.

Django's Paginator counts every matching row on every page view. Over a province's tens of
thousands of organizations that COUNT costs more than the rest of the page together. Two ways
here:

- A list whose caller names what its rows depend on (`key`, e.g. the user's scope and the
  filters, and `depends_on`, e.g. ORGANIZATIONS) gets an exact count that is kept until the
  next change of those tables (the actions that change them call `changed`) or for
  COUNT_SECONDS, whichever comes first. Nothing of the query is compiled to find the figure.
- Any other queryset: a count is exact while it is small (counted with a LIMIT, so a small
  scope pays for at most LARGE + 1 rows); a large count is taken once and then kept in the
  cache for COUNT_SECONDS, keyed by the query's SQL and parameters. A large list may therefore
  show a page count up to a minute old; the rows on the page are always current.

Versions: `changed(name)` stores a new random token under the name, without expiry; a kept
figure remembers the token it was computed under and is used only while that token is still
current. Actions call it both at once and when their transaction commits: the first keeps a
test (or a reader inside the same transaction) from seeing an old figure, the second replaces
any figure a concurrent reader computed from the rows before the commit.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

LARGE = 1000
COUNT_SECONDS = 60
ORGANIZATIONS = "organizations"  # the organization tree: names, codes, kinds, parents, paths


def _version_key(name: str) -> str:
    return f"paging:version:{name}"


def changed(name: str) -> None:
    """The rows that figures depending on `name` are computed from are changing: forget those
    figures now and again when the current transaction commits (see the module docstring)."""
    def bump() -> None:
        cache.set(_version_key(name), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _key(prefix: str, parts: tuple) -> str:
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept(key_parts: tuple, compute, depends_on: str | None = None, seconds: int = COUNT_SECONDS):
    """The figure for key_parts, computed once and kept for `seconds`, or until the next
    `changed(depends_on)` when it depends on a name. One cache round trip when it is kept."""
    key = _key("figure:", key_parts)
    if depends_on is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value
    version_key = _version_key(depends_on)
    found = cache.get_many([key, version_key])
    version = found.get(version_key)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(key, (version, value), seconds)
    return value


def cached_for_scope(key_parts: tuple, compute, seconds: int = COUNT_SECONDS,
                     depends_on: str | None = None):
    """A figure of an overview (e.g. enterprises per federation below a root) kept in the
    cache for `seconds` (or until `changed(depends_on)`), keyed by what it depends on."""
    return kept(key_parts, compute, depends_on, seconds)


class ScopePaginator(Paginator):
    def __init__(self, object_list, per_page, *args, key: tuple | None = None,
                 depends_on: str | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.key, self.depends_on = key, depends_on

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        if self.key is not None and self.depends_on is not None:
            return kept(("count", self.key), rows.order_by().count, self.depends_on)
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
