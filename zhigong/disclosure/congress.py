"""Where 厂务公开 meets the congress (democracy/actions.py calls these two):

- an approve item opens for voting only when its matter was disclosed for that session at least
  `disclosure.vote_lead_days` days before the session's day (matters the congress must approve
  are disclosed before the vote, DOMAIN.md);
- every resolution is published under the enterprise's "职代会决议" matter when it is made."""

from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong.core.errors import DomainError
from zhigong.democracy.models import AgendaItem, Resolution
from zhigong.disclosure import queries, rules
from zhigong.disclosure.models import Audience, Matter, Publication
from zhigong.disclosure.rulebook import load as load_rules

RESOLUTIONS = "congress_resolutions"


def check_disclosed_before_vote(item: AgendaItem) -> None:
    """Raise DomainError("disclosure.before_vote") unless the item's matter was disclosed for
    its session by the due day. Items of other kinds pass."""
    if item.kind != AgendaItem.Kind.APPROVE:
        return
    session = item.session
    enterprise = session.term.congress.enterprise
    day = timezone.localdate(session.starts_at)
    r = load_rules(enterprise.region_id, day)
    matter = queries.matter_for_agenda(queries.catalogue(enterprise, day), item.matter)
    if matter is None:
        return  # the enterprise's catalogue has no matter for congress votes: nothing to check against
    period = rules.vote_period(day, r.lead_days)
    first = Publication.objects.filter(enterprise=enterprise, matter__code=matter.code, session=session,
                                       previous__isnull=True).values_list("published_on", flat=True).first()
    if first is not None and rules.status(period, first, day) == rules.ON_TIME:
        return
    raise DomainError("disclosure.before_vote", _(
        "“%(matter)s”须在会议召开%(days)d天前（%(due)s之前）向职工公开，公开后才能表决。") % {
        "matter": matter.name, "days": r.lead_days, "due": period.due.isoformat()},
        field="item", matter=matter.code, due_on=period.due.isoformat(), published_on=first and first.isoformat())


def disclose_resolution(resolution: Resolution) -> Publication:
    """Publish a resolution as the platform (no actor), inside the transaction that made it."""
    from zhigong.disclosure import actions

    item = resolution.item
    enterprise = item.session.term.congress.enterprise
    actions._adopt(None, enterprise)
    matter = Matter.objects.filter(enterprise=enterprise, code=RESOLUTIONS).first()
    if matter is None:  # the region's defaults dropped it: the enterprise still gets the row
        matter = Matter.objects.create(enterprise=enterprise, code=RESOLUTIONS, name=_("职代会决议"),
                                       category="congress", frequency="on_event", audience=Audience.WORKERS,
                                       mandatory=True, default=True)
    day = timezone.localdate()
    r = load_rules(enterprise.region_id, day)
    period = rules.event_period(day, r.grace.get(rules.ON_EVENT, 0))
    fields = {"enterprise": enterprise, "matter": matter, "kind": Publication.Kind.EVENT, "period": period.label,
              "due_on": period.due, "session": None, "resolution": resolution, "audience": matter.audience,
              "title": f"{resolution.number}：{item.title}"[:200], "text": resolution.text, "table": None,
              "version": 1}
    return actions._write(None, fields, [], "disclosure.publish", {"resolution": resolution.pk,
                                                                   "due_on": period.due.isoformat()})
