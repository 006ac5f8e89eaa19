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


def test_a_keyed_count_is_kept_until_the_rows_change(db, django_assert_num_queries):
    from zhigong.core.paging import changed

    rows = Region.objects.filter(code__startswith="3201").order_by("code")
    before = rows.count()
    assert ScopePaginator(rows, 20, key=("regions", "3201"), depends_on="regions").count == before
    Region.objects.create(code="320199", name="测试区", level=Region.Level.COUNTY, parent_id="320100")
    with django_assert_num_queries(0):  # kept: nothing counted, nothing compiled
        assert ScopePaginator(rows, 20, key=("regions", "3201"), depends_on="regions").count == before
    changed("regions")
    assert ScopePaginator(rows, 20, key=("regions", "3201"), depends_on="regions").count == before + 1
    # Another key is another figure; a change of another name leaves this one kept.
    assert ScopePaginator(rows.filter(level="city"), 20, key=("regions", "3201", "city"),
                          depends_on="regions").count == 1
    changed("organizations")
    with django_assert_num_queries(0):
        assert ScopePaginator(rows, 20, key=("regions", "3201"), depends_on="regions").count == before + 1


def test_region_names_read_a_new_region(db):
    from zhigong.core.regions import region_names

    assert region_names(["320102"]) == {"320102": "玄武区"}
    Region.objects.create(code="320199", name="测试区", level=Region.Level.COUNTY, parent_id="320100")
    assert region_names(["320102", "320199", "999999"]) == {"320102": "玄武区", "320199": "测试区"}


def test_scope_key_is_the_grants_alone_or_none(world):
    from zhigong.core.policy import organization_scope_key

    assert organization_scope_key(world.cadre_a) == organization_scope_key(world.cadre_a)
    assert organization_scope_key(world.cadre_a) != organization_scope_key(world.outsider)
    assert organization_scope_key(world.admin) == ("all",)
    assert organization_scope_key(world.worker) is None  # sees their own employer and union too
