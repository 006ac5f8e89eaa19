"""The signed-in user, their grants and the worker's own record are read by hand-written
statements (core.rawsql) on every page: they must give exactly what the ORM gives, values and
types alike, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.auth import UsernameOrMobileBackend
from zhigong.core.models import Employment, Membership, Notification, Person, RoleGrant, User
from zhigong.web.home import own_record


def _same_fields(model, expected, actual) -> None:
    for field in model._meta.concrete_fields:
        a, b = getattr(expected, field.attname), getattr(actual, field.attname)
        assert a == b and type(a) is type(b), (model.__name__, field.name, a, b)


def test_user_row_matches_the_orm_with_aware_datetimes_and_booleans(world):
    now = timezone.now()
    User.objects.filter(pk=world.worker.pk).update(last_login=now, locked_until=now + timedelta(minutes=5))
    loaded = UsernameOrMobileBackend().get_user(world.worker.pk)
    expected = User.objects.get(pk=world.worker.pk)
    _same_fields(User, expected, loaded)
    assert timezone.is_aware(loaded.last_login) and loaded.is_active is True


def test_unread_count_and_grants_come_with_the_user(world):
    RoleGrant.objects.create(user=world.cadre_a, role="auditor", organization=world.city)
    Notification.objects.create(user=world.cadre_a, title="a", body="b")
    Notification.objects.create(user=world.cadre_a, title="c", body="d", read_at=timezone.now())
    loaded = UsernameOrMobileBackend().get_user(world.cadre_a.pk)
    assert loaded.zhigong_unread == 1
    fresh = User.objects.get(pk=world.cadre_a.pk)
    assert policy.grants(loaded) == policy.grants(fresh)  # the second one is the ORM's
    assert len(policy.grants(loaded)) == 2
    roots = policy.grant_organizations(loaded, {"cadre", "auditor"})
    assert [o.pk for o in roots] == sorted([world.county_a.pk, world.city.pk],
                                           key=lambda pk: policy.visible_organizations(fresh).get(pk=pk).path)
    _same_fields(type(roots[0]), type(roots[0]).objects.get(pk=roots[0].pk), roots[0])


def test_a_user_without_grants_or_a_missing_user(world):
    loaded = UsernameOrMobileBackend().get_user(world.worker.pk)
    assert policy.grants(loaded) == []
    assert UsernameOrMobileBackend().get_user(10**9) is None
    assert UsernameOrMobileBackend().get_user("not a number") is None


def test_an_inactive_user_is_not_signed_in(world):
    User.objects.filter(pk=world.worker.pk).update(is_active=False)
    assert UsernameOrMobileBackend().get_user(world.worker.pk) is None


def test_own_record_matches_the_orm(world):
    record = own_record(world.worker)
    person = Person.objects.get(pk=world.worker.person_id)
    _same_fields(Person, person, record.person)
    job = Employment.objects.filter(person=person, end_date__isnull=True).order_by("pk").first()
    _same_fields(Employment, job, record.employment)
    assert record.employment.enterprise.pk == job.enterprise_id
    membership = Membership.objects.filter(person=person, left_on__isnull=True).order_by("pk").first()
    if membership is None:
        assert record.membership is None
    else:
        _same_fields(Membership, membership, record.membership)
        assert record.membership.union.pk == membership.union_id


def test_own_record_without_a_current_job(world):
    Employment.objects.filter(person_id=world.worker.person_id).update(end_date=timezone.localdate())
    record = own_record(world.worker)
    assert record.employment is None and record.person.pk == world.worker.person_id


@pytest.mark.parametrize("who", ["cadre_a", "province_cadre", "outsider"])
def test_breadcrumb_names_follow_the_policy(world, who):
    from zhigong.core.models import Organization

    user = User.objects.get(pk=getattr(world, who).pk)
    ids = list(Organization.objects.values_list("pk", flat=True))
    expected = dict(policy.visible_organizations(user).filter(pk__in=ids).values_list("pk", "name"))
    assert policy.visible_organization_names(user, ids) == expected


@pytest.mark.postgres
def test_the_statements_of_every_request_are_prepared_once_per_connection(world):
    """core.rawsql.rows: the signed-in user's statement is planned once on a connection and
    then executed by name (settings: prepare_threshold 0); the ORM's queries are not."""
    from django.conf import settings
    from django.db import connection

    from zhigong.core.auth import _request_user_sql

    def prepared() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
            return dict(cursor.fetchall())

    assert settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] == 0
    UsernameOrMobileBackend().get_user(world.cadre_a.pk)
    user_statement = _request_user_sql().replace("%s", "$1")
    before = prepared()[user_statement]  # prepared at the first use on this connection
    for _ in range(3):
        assert UsernameOrMobileBackend().get_user(world.cadre_a.pk).pk == world.cadre_a.pk
    User.objects.filter(pk=world.cadre_a.pk).first()
    after = prepared()
    assert after[user_statement] == before + 3  # the same prepared statement, executed again
    assert not any('"core_user"."username"' in statement for statement in after)


@pytest.mark.parametrize("count", [1, 2, 7])
def test_in_list_of_any_length(world, count):
    from zhigong.core import rawsql
    from zhigong.core.models import Organization

    ids = sorted(Organization.objects.values_list("pk", flat=True))[:count]
    where, params = rawsql.in_list("id", ids)
    assert sorted(r[0] for r in rawsql.rows(f"SELECT id FROM core_organization WHERE {where}", params)) == ids


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_before_a_migration_is_prepared_again():
    """After a migration changes a column under a prepared statement (another connection: the
    migrate command), PostgreSQL refuses the old plan; rawsql.rows takes a new connection and
    answers, instead of a 500 on every page until the connection ends."""
    import psycopg
    from django.db import connection

    from zhigong.core import rawsql

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE zg_prepared_probe (id integer PRIMARY KEY, v varchar(10))")
        cursor.execute("INSERT INTO zg_prepared_probe VALUES (1, 'x')")
    try:
        sql = "SELECT id, v FROM zg_prepared_probe WHERE id = %s"
        assert rawsql.rows(sql, [1]) == [(1, "x")]
        dsn = connection.connection.info.dsn
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("ALTER TABLE zg_prepared_probe ALTER COLUMN v TYPE varchar(50)")
        assert rawsql.rows(sql, [1]) == [(1, "x")]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE zg_prepared_probe")
