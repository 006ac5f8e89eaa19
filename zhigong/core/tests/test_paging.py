"""Large lists count once a minute; small ones exactly on every page (core.paging)."""

from django.core.cache import cache

from zhigong.core.models import Region
from zhigong.core.paging import LARGE, ScopePaginator, kept


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
    assert kept(("a", 1), lambda: calls.append(1) or 7) == 7
    assert kept(("a", 1), lambda: calls.append(1) or 8) == 7
    assert kept(("a", 2), lambda: calls.append(1) or 9) == 9
    assert len(calls) == 2


def test_a_keyed_count_is_kept_until_the_rows_change(db, django_assert_num_queries):
    from zhigong.core.paging import changed

    rows = Region.objects.filter(code__startswith="3201").order_by("code")
    before = rows.count()

    def count(key=("regions", "3201"), of=rows):
        return ScopePaginator(of, 20, key=key, depends_on="regions").count

    assert count() == before
    Region.objects.create(code="320199", name="测试区", level=Region.Level.COUNTY, parent_id="320100")
    with django_assert_num_queries(1):  # kept: the change number is read, nothing is counted
        assert count() == before
    changed("regions")
    assert count() == before + 1
    # Another key is another figure; a change of another name leaves this one kept.
    assert count(("regions", "3201", "city"), rows.filter(level="city")) == 1
    changed("organizations")
    with django_assert_num_queries(1):
        assert count() == before + 1


def test_the_change_number_comes_with_the_signed_in_user(world, django_assert_num_queries):
    """A page reads the organizations' number in the user's own statement: a kept figure then
    costs no query at all, and a change made by another process is seen by the next request."""
    from zhigong.core.auth import UsernameOrMobileBackend
    from zhigong.core.models import FigureVersion
    from zhigong.core.paging import ORGANIZATIONS, current_version, kept

    user = UsernameOrMobileBackend().get_user(world.cadre_a.pk)
    number = user.zhigong_versions[ORGANIZATIONS]
    assert number == current_version(ORGANIZATIONS) > 0  # the world's organizations were created
    assert kept(("x",), lambda: 1, ORGANIZATIONS, user=user) == 1
    with django_assert_num_queries(0):
        assert kept(("x",), lambda: 2, ORGANIZATIONS, user=user) == 1
    FigureVersion.objects.filter(name=ORGANIZATIONS).update(value=number + 1)  # another process
    user = UsernameOrMobileBackend().get_user(world.cadre_a.pk)
    assert kept(("x",), lambda: 3, ORGANIZATIONS, user=user) == 3


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
