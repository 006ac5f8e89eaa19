"""The congress demo's disclosures before its votes (democracy/demo.py calls this; a module of
its own so that the congress demo does not import the workers'-voice demo through ours). The
publications are made today through the actions and then moved to the day they stand for, with a
trail event of their own ("demo.backdate_disclosure"): no action publishes on an earlier day."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core.models import User
from zhigong.democracy.models import AgendaItem, Session
from zhigong.disclosure import actions, queries
from zhigong.disclosure.models import Matter, Publication


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def backdate(actor, moves: dict[int, date]) -> None:
    """Set the publications' days (see the module docstring), with one trail event."""
    if not moves:
        return
    with transaction.atomic():
        for pk, day in moves.items():
            Publication.objects.filter(pk=pk).update(published_on=day, published_at=at(day))
        trail.record(actor, "demo.backdate_disclosure", ("batch", "demo_backdate_disclosure"),
                     {"publications": {str(pk): day.isoformat() for pk, day in sorted(moves.items())}})


def disclose_for_session(chair: User, session: Session, days_before: int = 10) -> list[Publication]:
    """Publish each matter the session's approve items need, as if `days_before` days before the
    session (the congress demo calls this before its votes)."""
    enterprise = session.term.congress.enterprise
    actions.adopt_defaults(chair, enterprise)
    matters = list(Matter.objects.filter(enterprise=enterprise))
    needed = {queries.matter_for_agenda(matters, m) for m in
              session.items.filter(kind=AgendaItem.Kind.APPROVE).values_list("matter", flat=True)} - {None}
    made = [actions.publish(chair, m, _("关于提交%(session)s审议“%(matter)s”的公示") % {
        "session": session.title, "matter": m.name}, _DRAFT_TEXT % {"matter": m.name}, session=session)
        for m in sorted(needed, key=lambda m: m.pk)]
    day = min(timezone.localdate(session.starts_at) - timedelta(days=days_before), timezone.localdate())
    backdate(chair, {p.pk: day for p in made})
    return made


_DRAFT_TEXT = ("%(matter)s草案已在厂务公开栏和本平台公示，全文在各车间工会小组传阅。请职工在公示期内通过本页面"
               "提问或向本车间职工代表反映意见，职代会审议时一并研究。")
