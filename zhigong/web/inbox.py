"""The user's inbox of in-app notifications (core.models.Notification, sent by actions through
core.notifications.notify): reads, and the one change, marking them read.

Marking read is a trail event: for a convening notice it is the record that the delegate
saw the notice (the congress must notify every delegate before a session)."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhigong import trail
from zhigong.core.models import Notification


def notifications(user) -> QuerySet[Notification]:
    """A user sees only their own notifications; anyone else's do not exist for them."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    """Counted with the user row when the request's user was loaded (core.auth.get_user);
    counted afresh after mark_read or for users loaded otherwise."""
    known = getattr(user, "zhigong_unread", None)
    if known is not None:
        return known
    return notifications(user).filter(read_at__isnull=True).count()


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications read: those of `ids`, or all of them."""
    rows = notifications(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    with transaction.atomic():
        marked = sorted(rows.select_for_update().values_list("pk", flat=True))
        if not marked:
            return 0
        Notification.objects.filter(pk__in=marked).update(read_at=timezone.now())
        if hasattr(user, "zhigong_unread"):
            del user.zhigong_unread  # the count loaded with the user is stale now
        trail.record(user, "notification.read", ("core.notification", marked[0]), {"notifications": marked})
    return len(marked)
