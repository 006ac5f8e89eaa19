"""Casting a ballot over the API, the request a thousand delegates send in the same minute, served
by a plain Django view mounted at the ninja operation's URL (zhigong/urls.py puts it first).

The operation stays declared in democracy/api.py: it is what the OpenAPI schema documents, and it
answers every request that is not the common case. This view takes only a POST with a bearer
token that belongs to an account and a body of the documented shape (`content` an object,
`commitment` a string, null or absent); it skips ninja's dispatch and pydantic, which cost more
CPU than the ballot itself (benchmarks/profile_ballot.py). Anything else (no or an unknown token,
so perhaps a browser session that must pass the CSRF check; a body ninja would refuse with 400 or
a 422 naming the field; another method) is handed to the ninja view unchanged, so refusals are
the same to the byte. Errors of the action go through the API's own exception handlers."""

import json
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, get_resolver
from django.views.decorators.csrf import csrf_exempt

from zhigong.democracy import actions

BEARER = "bearer"


@csrf_exempt  # token clients only; a browser session goes to the ninja view, which checks CSRF
def cast_ballot(request: HttpRequest, item_id: int) -> HttpResponse:
    from zhigong.api import api

    user = _token_user(request) if request.method == "POST" else None
    payload = _ballot_payload(request.body) if user is not None else None
    if payload is None:
        return _ninja_view(request)
    request.user = user
    content, commitment = payload
    try:
        receipt = actions.cast_ballot(user, item_id, content, commitment)
    except Exception as exc:  # as ninja's Operation.run: its handlers answer, or it propagates
        return api.on_exception(request, exc)
    return api.create_response(request, receipt, status=201)


def _token_user(request: HttpRequest):
    """The account of `Authorization: Bearer <token>`, read as ninja's HttpBearer reads it."""
    from zhigong.core.queries import user_for_token

    parts = request.META.get("HTTP_AUTHORIZATION", "").split(" ")
    if parts[0].lower() != BEARER or len(parts) < 2:
        return None
    return user_for_token(" ".join(parts[1:]))


def _ballot_payload(body: bytes) -> tuple[dict, str | None] | None:
    """(content, commitment) when the body is what schemas.BallotIn accepts; None otherwise."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("content"), dict):
        return None
    commitment = data.get("commitment")
    if commitment is not None and type(commitment) is not str:
        return None
    return data["content"], commitment


def _ninja_view(request: HttpRequest) -> HttpResponse:
    match = _api_resolver().resolve(request.path_info.removeprefix("/"))
    return match.func(request, *match.args, **match.kwargs)


@cache
def _api_resolver() -> URLResolver:
    """The resolver of /api/v1/ (namespace "api") in the project's URLconf."""
    return next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
