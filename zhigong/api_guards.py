"""What every API operation gets before and after its own code, so that bad input is answered
with the API's error shape {code, message, details} and never reaches the database as a 500
(issue 2). Found by the fuzzer, core/tests/test_api_fuzz.py."""

from datetime import UTC, datetime, timedelta
from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from pydantic import BaseModel

# The widest integer column (BigIntegerField, BigAutoField): a larger number can name no row and
# fit no column; SQLite refuses to bind it (OverflowError), PostgreSQL answers "out of range".
INT64 = (-(2**63), 2**63 - 1)
# Offsets in use run from -12:00 to +14:00; pydantic takes up to 24 hours, PostgreSQL no more than 16.
MAX_OFFSET = timedelta(hours=14)


def _refusal(value) -> tuple[str, str] | None:
    """(type, message) when the database could not take `value` as it is, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
        return "int_out_of_range", _("整数超出可存储的范围。")
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold NUL
        return "string_nul", _("文本中不能含有空字符（NUL）。")
    if isinstance(value, datetime) and value.utcoffset() is not None:
        if abs(value.utcoffset()) > MAX_OFFSET:
            return "datetime_offset", _("时区偏移超出范围（应在正负14小时以内）。")
        try:
            value.astimezone(UTC)  # stored in UTC: year 1 east of Greenwich has no UTC instant
        except OverflowError:
            return "datetime_range", _("日期时间超出可存储的范围。")
    return None


def _refusals(value, loc: tuple) -> list[dict]:
    if isinstance(value, BaseModel):
        value = {name: getattr(value, name) for name in type(value).model_fields}
    if isinstance(value, dict):
        return [e for key, item in value.items()
                for e in _refusals(key, (*loc, key)) + _refusals(item, (*loc, key))]
    if isinstance(value, list | tuple | set | frozenset):
        return [e for i, item in enumerate(value) for e in _refusals(item, (*loc, i))]
    refused = _refusal(value)
    return [{"loc": loc, "type": refused[0], "msg": refused[1]}] if refused else []


def _source(request, name: str) -> tuple:
    """Where a parameter came from, as ninja's own locations name it ("path", "query", "form");
    a body schema's fields need none (the 422 handler drops "body" and "payload")."""
    match = getattr(request, "resolver_match", None)
    if match is not None and name in match.kwargs:
        return ("path",)
    if name in request.GET:
        return ("query",)
    if request.method == "POST" and name in request.POST:
        return ("form",)
    return ()


def storable_input(view):
    """An operation decorator (after ninja's validation): every value of the input, in the path,
    the query or anywhere in the body, is one the database can take (a 64-bit integer, text
    without NUL, a datetime with a real offset), else a 422 naming its path."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        errors = []
        for name, value in kwargs.items():
            found = _refusals(value, (name,))
            source = _source(request, name) if found else ()
            errors += [{**e, "loc": (*source, *e["loc"])} for e in found]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return wrapper


def json_not_allowed(view):
    """Ninja answers a method a path does not have with a bare text 405; the API's errors are
    {code, message, details} whatever went wrong."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip())
        answer = JsonResponse({"code": "method_not_allowed", "message": _("该地址不支持这种请求方式。"),
                               "details": {"allowed": allowed}}, status=405)
        answer["Allow"] = ", ".join(allowed)
        return answer

    return wrapper
