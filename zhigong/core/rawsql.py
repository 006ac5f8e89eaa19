"""Hand-written statements for the few reads that every request makes (the signed-in user,
the worker's own record), with the rows turned back into model instances.

Compiling a queryset costs more than running it when the statement is a primary-key lookup
or a short join: on every page that is most of the work. The column lists come from the
models' _meta, so a new field is picked up without touching the SQL here."""

from functools import cache

from django.db import connection
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
