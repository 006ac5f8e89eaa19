"""One domain error type for the whole platform: a stable code, a Chinese sentence a worker
understands, and details (e.g. the field it concerns). The API turns it into
{"code", "message", "details"} with a 4xx status; pages show the message beside the field."""

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: Any, **details: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details

    @property
    def field(self) -> str | None:
        return self.details.get("field")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class NotFound(DomainError):
    """Raised for objects that do not exist *or* that the user may not see: an outsider must
    not learn that something exists."""

    status = 404

    def __init__(self, what: str = "object") -> None:
        from django.utils.translation import gettext as _

        super().__init__("not_found", _("找不到该记录，或您无权查看。"), object=what)


class PermissionDenied(DomainError):
    """For objects the user can see but may not change."""

    status = 403

    def __init__(self, action: str) -> None:
        from django.utils.translation import gettext as _

        super().__init__("permission_denied", _("您没有执行此操作的权限。"), action=action)
