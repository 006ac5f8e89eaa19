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

Versions: `changed(name)` adds one to the FigureVersion row of that name in the transaction
of the change, so the new number and the new rows commit together. A kept figure remembers the
number it was computed under and is used only while that number is still current. The number
is read from the database, not from the cache: each server process may have a cache of its own
(the default), and all of them must see a change at once. The signed-in user's statement reads
the organizations' number with the user (core.auth), so a page pays no round trip for it.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.functional import cached_property

LARGE = 1000
COUNT_SECONDS = 60
ORGANIZATIONS = "organizations"  # the organization tree: names, codes, kinds, parents, paths


def changed(name: str) -> None:
    """The rows behind the figures that depend on `name` are changing (call it inside the
    change's transaction): every figure kept under the current number is computed again."""
    from zhigong.core.models import FigureVersion

    if FigureVersion.objects.filter(name=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            FigureVersion.objects.create(name=name, value=1)
    except IntegrityError:  # created meanwhile by a concurrent change
        FigureVersion.objects.filter(name=name).update(value=F("value") + 1)


def current_version(name: str, user=None) -> int:
    """The number of changes of `name`: the one read with the signed-in user when there is one
    (core.auth), else from the database."""
    known = getattr(user, "zhigong_versions", None)
    if known is not None and name in known:
        return known[name]
    from zhigong.core.models import FigureVersion

    return FigureVersion.objects.filter(name=name).values_list("value", flat=True).first() or 0


def _key(prefix: str, parts: tuple) -> str:
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept(key_parts: tuple, compute, depends_on: str | None = None, seconds: int = COUNT_SECONDS,
         user=None):
    """The figure for key_parts, computed once and kept for `seconds`, or until the next
    `changed(depends_on)` when it depends on a name (the number read with `user`, see
    current_version). One cache round trip when it is kept. Call it outside a transaction that
    may still roll back a change of that name: a figure computed inside one would be kept under
    a number that the next real change reuses."""
    key = _key("figure:", key_parts)
    version = None if depends_on is None else current_version(depends_on, user)
    entry = cache.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(key, (version, value), seconds)
    return value


class ScopePaginator(Paginator):
    def __init__(self, object_list, per_page, *args, key: tuple | None = None,
                 depends_on: str | None = None, user=None, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.key, self.depends_on, self.user = key, depends_on, user

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        if self.key is not None and self.depends_on is not None:
            return kept(("count", self.key), rows.order_by().count, self.depends_on, user=self.user)
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
