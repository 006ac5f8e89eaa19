"""Large lists count once a minute; small ones exactly on every page (core.paging)."""

from django.core.cache import cache

from zhigong.core.models import Region
from zhigong.core.paging import LARGE, ScopePaginator, cached_for_scope


def test_small_counts_are_exact_every_time(db):
    cache.clear()
    rows = Region.objects.filter(code__startswith="3201").order_by("code")
    before = rows.count()
    assert 0 < before <= LARGE
    assert ScopePaginator(rows, 20).count == before
    Region.objects.create(code="320199", name="测试区", level=Region.Level.COUNTY, parent_id="320100")
    assert ScopePaginator(rows, 20).count == before + 1


def test_large_counts_are_kept_for_a_minute(db):
    cache.clear()
    rows = Region.objects.order_by("code")
    total = rows.count()
    assert total > LARGE
    assert ScopePaginator(rows, 20).count == total
    Region.objects.create(code="320199", name="测试区", level=Region.Level.COUNTY, parent_id="320100")
    assert ScopePaginator(rows, 20).count == total  # the cached figure
    page = ScopePaginator(rows, 20).get_page(1)
    assert len(page.object_list) == 20 and page.paginator.num_pages == -(-total // 20)
    cache.clear()
    assert ScopePaginator(rows, 20).count == total + 1
    # A different filter is a different key: never another scope's figure.
    assert ScopePaginator(rows.filter(level=Region.Level.PROVINCE), 20).count < 100


def test_cached_figures_are_keyed_by_what_they_depend_on(db):
    cache.clear()
    calls = []
    assert cached_for_scope(("a", 1), lambda: calls.append(1) or 7) == 7
    assert cached_for_scope(("a", 1), lambda: calls.append(1) or 8) == 7
    assert cached_for_scope(("a", 2), lambda: calls.append(1) or 9) == 9
    assert len(calls) == 2
