"""Sending in-app notifications (and e-mail where an address exists). Called by actions inside
their transaction; the mail goes out after commit."""

from django.core.mail import send_mail
from django.db import transaction

from zhigong.core.models import Notification, User


def notify(users, title: str, body: str = "", link: str = "") -> int:
    users = [u for u in users if u is not None]
    Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, link=link) for u in users], batch_size=1000,
    )
    emails = [u.email for u in users if u.email]
    if emails:
        transaction.on_commit(lambda: send_mail(title, f"{body}\n{link}".strip(), None, emails,
                                                fail_silently=True))
    return len(users)


def users_of_people(person_ids) -> list[User]:
    return list(User.objects.filter(person_id__in=list(person_ids), is_active=True))
