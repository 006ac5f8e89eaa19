"""An approve item opens for voting only when its matter was disclosed for the session at least
the rule's lead days before it; resolutions are published automatically when made."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.core.errors import DomainError
from zhigong.democracy import actions as congress
from zhigong.democracy.tests.conftest import build_congress, start
from zhigong.disclosure import actions
from zhigong.disclosure.models import Matter, Publication
from zhigong.trail.models import Event


@pytest.fixture
def undisclosed(world):
    cw = build_congress(world, delegates=30)
    Publication.objects.all().delete()  # the fixture disclosed everything: start from nothing
    return cw


def test_an_undisclosed_approve_item_cannot_open(undisclosed):
    cw = undisclosed
    start(cw, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    item = cw.session.items.get()
    with pytest.raises(DomainError) as refused:
        congress.open_voting(cw.chair, item)
    assert refused.value.code == "disclosure.before_vote" and refused.value.details["matter"] == "collective_contract"
    assert "集体合同草案" in str(refused.value.message) and "7天" in str(refused.value.message)


def test_disclosed_in_time_it_opens_and_its_resolution_is_published(undisclosed):
    cw = undisclosed
    start(cw, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    item = cw.session.items.get()
    matter = Matter.objects.get(enterprise=cw.congress.enterprise, code="collective_contract")
    actions.publish(cw.chair, matter, "集体合同草案公示", "草案全文见附件。", session=cw.session)
    congress.open_voting(cw.chair, item)  # the session is 7 days away: on the due day
    for user in cw.users[:20]:
        congress.cast_ballot(user, item, {"choice": "yes"})
    congress.close_voting(cw.chair, item)
    resolution = item.__class__.objects.get(pk=item.pk).resolution
    published = Publication.objects.get(resolution=resolution)
    assert (published.matter.code, published.kind, published.audience) == ("congress_resolutions", "event", "workers")
    assert published.text == resolution.text and resolution.number in published.title
    assert Event.objects.filter(verb="disclosure.publish", object_id=str(published.pk), actor_id=None).exists()


def test_too_late_is_refused_and_other_matters_use_the_general_one(world):
    cw = build_congress(world, delegates=30)
    soon = congress.schedule_session(cw.chair, cw.term, "临时会议", timezone.now() + timedelta(days=3), "")
    congress.add_agenda_item(cw.chair, soon, "罢免事项", "approve", matter="other")
    other = Matter.objects.get(enterprise=cw.congress.enterprise, congress_matter="other")
    actions.publish(cw.chair, other, "提交审议事项公示", "见正文。", session=soon)  # 3 days ahead: late
    congress.convene_session(cw.chair, soon)
    soon.refresh_from_db()
    for user in cw.users:
        congress.check_in(user, soon, soon.check_in_code)
    congress.open_session(cw.chair, soon)
    with pytest.raises(DomainError) as refused:
        congress.open_voting(cw.chair, soon.items.get())
    assert refused.value.details["matter"] == "congress_approval"
    assert refused.value.details["published_on"] == timezone.localdate().isoformat()
