"""Hand-written statements for the few reads that every request makes (the signed-in user,
the worker's own record), with the rows turned back into model instances.

Compiling a queryset costs more than running it when the statement is a primary-key lookup
or a short join: on every page that is most of the work. The column lists come from the
models' _meta, so a new field is picked up without touching the SQL here."""

from functools import cache

from django.db import NotSupportedError, connection
from django.db.models import Model


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column(model: type[Model], field: str) -> str:
    """The quoted column of a model's field (a foreign key's is its _id column)."""
    return quote(model._meta.get_field(field).column)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


@cache
def attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def select_list(model: type[Model], alias: str) -> str:
    """Every concrete column of the model under a table alias, in attnames() order."""
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instance(model: type[Model], row, start: int = 0) -> tuple[Model | None, int]:
    """The model instance whose columns start at row[start], and where the next one starts;
    None when the primary key is NULL (the outer join found nothing). Values pass through the
    backend's converters as the ORM's would (SQLite hands back naive datetimes and integer
    booleans; PostgreSQL needs none)."""
    names = attnames(model)
    end = start + len(names)
    values = list(row[start:end])
    if values[names.index(model._meta.pk.attname)] is None:
        return None, end
    for index, expression, converters in _converters(model, connection.vendor):
        value = values[index]
        for convert in converters:
            value = convert(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, names, values), end


@cache
def _converters(model: type[Model], vendor: str) -> tuple:
    """(position, column expression, converters) of each field that has converters."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        if converters:
            found.append((index, expression, tuple(converters)))
    return tuple(found)


def rows(sql: str, params) -> list[tuple]:
    """The rows of a hand-written statement (with %s placeholders). On PostgreSQL the statement
    goes through a cursor that binds its parameters on the server, so that the connection can
    prepare it the first time and then only execute it: the statements here are short, and
    PostgreSQL spent more time planning them than running them (0.31 ms a statement for the
    signed-in user, 0.09 ms prepared). Queries of the ORM keep Django's client-side binding and
    are never prepared. ZHIGONG_DB_PREPARE=0 turns preparing off (behind a connection pooler
    that cannot keep prepared statements); the statements are then planned every time."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    try:
        return _server_bound(sql, params)
    except NotSupportedError as exc:
        # A migration changed a table under a statement this connection had prepared (say a
        # column's type): PostgreSQL refuses the old plan until the connection ends. Outside a
        # transaction, a new connection prepares it afresh; inside one, the error stands.
        if "cached plan must not change result type" not in str(exc) or connection.in_atomic_block:
            raise
        connection.close()
        return _server_bound(sql, params)


def _server_bound(sql: str, params) -> list[tuple]:
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection._prepare_cursor(psycopg.Cursor(connection.connection))
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def in_list(column_sql: str, values: list) -> tuple[str, list]:
    """`column IN (...)` for these values as (sql, params): on PostgreSQL one array parameter
    (`= ANY(%s)`), so that lists of any length are one prepared statement."""
    if connection.vendor == "postgresql":
        return f"{column_sql} = ANY(%s)", [list(values)]
    return f"{column_sql} IN ({', '.join(['%s'] * len(values))})", list(values)
