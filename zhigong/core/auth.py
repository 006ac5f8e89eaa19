"""Login by username or mobile number, with lock-out after repeated failures."""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.utils import timezone

from zhigong.core import paging, policy, rawsql
from zhigong.core.models import FigureVersion, Notification, Organization, RoleGrant, User


class AccountLocked(Exception):
    pass


class UsernameOrMobileBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a request in one statement: the user row, the count of unread
        notifications that every page's navigation shows (zhigong.web.inbox.unread_count reads
        it), and the user's role grants with their organizations, which the policy keeps for
        the request (a row per grant, at least one), and the organization tree's change number
        that kept figures are checked against (core.paging). Plain SQL: compiling the
        equivalent querysets cost more than running them, on every page."""
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        rows = rawsql.rows(_request_user_sql(), [user_id])
        if not rows:
            return None
        user, at = rawsql.instance(User, rows[0])
        user.zhigong_unread = rows[0][at]
        user.zhigong_versions = {paging.ORGANIZATIONS: rows[0][at + 1] or 0}
        grants, organizations = [], {}
        for row in rows:
            role, personal, org_id = row[at + 2:at + 5]
            if role is None:  # no grant: the one row of the outer join
                continue
            org, _end = rawsql.instance(Organization, row, at + 5)
            grants.append((role, org.path if org is not None else None, personal, org_id))
            if org is not None:
                organizations[org.pk] = org
        policy.remember_grants(user, grants, organizations)
        return user if self.user_can_authenticate(user) else None

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


@cache
def _request_user_sql() -> str:
    u, g, o = User, RoleGrant, Organization
    n, v = Notification, FigureVersion
    return (
        f"SELECT {rawsql.select_list(u, 'u')}, "
        f"(SELECT COUNT(*) FROM {rawsql.table(n)} n WHERE n.{rawsql.column(n, 'user')} = u.{rawsql.column(u, 'id')} "
        f"AND n.{rawsql.column(n, 'read_at')} IS NULL), "
        f"(SELECT v.{rawsql.column(v, 'value')} FROM {rawsql.table(v)} v "
        f"WHERE v.{rawsql.column(v, 'name')} = '{paging.ORGANIZATIONS}'), "
        f"g.{rawsql.column(g, 'role')}, g.{rawsql.column(g, 'personal_data')}, g.{rawsql.column(g, 'organization')}, "
        f"{rawsql.select_list(o, 'o')} "
        f"FROM {rawsql.table(u)} u "
        f"LEFT JOIN {rawsql.table(g)} g ON g.{rawsql.column(g, 'user')} = u.{rawsql.column(u, 'id')} "
        f"LEFT JOIN {rawsql.table(o)} o ON o.{rawsql.column(o, 'id')} = g.{rawsql.column(g, 'organization')} "
        f"WHERE u.{rawsql.column(u, 'id')} = %s ORDER BY g.{rawsql.column(g, 'id')}"
    )


def record_failure(user: User, now) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
        until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
