"""Assembles the ninja routers of every app under /api/v1/."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from zhigong.api_guards import json_not_allowed, storable_input
from zhigong.core.errors import DomainError


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from zhigong.core.queries import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ZhigongAPI(NinjaAPI):
    """Every path's view answers a missing method with the API's error shape."""

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if hasattr(pattern, "callback"):
                pattern.callback = json_not_allowed(pattern.callback)
        return patterns


api = ZhigongAPI(
    title="Zhigong 职工服务平台 API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=[TokenAuth(), django_auth],
)
api.add_decorator(storable_input)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    from django.utils.translation import gettext as _

    fields = [
        {"path": ".".join(str(p) for p in e.get("loc", []) if p not in ("body", "payload")),
         "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request,
        {"code": "validation", "message": _("提交的数据不正确，请检查标出的字段。"),
         "details": {"fields": fields}},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    from django.utils.translation import gettext as _

    return api.create_response(
        request, {"code": "unauthorized", "message": _("请先登录或提供有效的 API 令牌。"), "details": {}},
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    from django.utils.translation import gettext as _

    return api.create_response(
        request, {"code": "not_found", "message": _("找不到该记录，或您无权查看。"), "details": {}},
        status=404,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request, {"code": "http_error", "message": str(exc), "details": {}}, status=exc.status_code,
    )


def _mount() -> None:
    from zhigong.core.api import router as core_router
    from zhigong.democracy.api import router as democracy_router
    from zhigong.disclosure.api import router as disclosure_router
    from zhigong.evaluation.api import router as evaluation_router
    from zhigong.ledger.api import router as ledger_router
    from zhigong.mutualaid.api import router as mutualaid_router
    from zhigong.participation.api import box_router
    from zhigong.participation.api import router as participation_router
    from zhigong.tracking.api import router as tracking_router
    from zhigong.trail.api import router as trail_router

    api.add_router("/", core_router)
    api.add_router("/trail", trail_router)
    api.add_router("/congress", democracy_router)
    api.add_router("/voice", participation_router)
    api.add_router("/box", box_router)
    api.add_router("/disclosure", disclosure_router)
    api.add_router("/tracking", tracking_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/mutualaid", mutualaid_router)


_mount()
