"""Login by username or mobile number, with lock-out after repeated failures."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.utils import timezone

from zhigong.core.models import User


class AccountLocked(Exception):
    pass


class UsernameOrMobileBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a request, with the count of unread notifications that every
        page's navigation shows, in one statement (zhigong.web.inbox.unread_count reads it)."""
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from zhigong.core.models import Notification

        unread = (Notification.objects.filter(user_id=OuterRef("pk"), read_at__isnull=True).order_by()
                  .values("user_id").annotate(n=Count("pk")).values("n"))
        user = User.objects.annotate(zhigong_unread=Coalesce(Subquery(unread), 0)).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = User.objects.filter(Q(username=username) | Q(mobile=username)).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            if request is not None:
                request.zhigong_locked_until = user.locked_until
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        record_failure(user, now)
        return None


def record_failure(user: User, now) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
        until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
