from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from zhigong.participation import actions
from zhigong.participation.models import BoxDigest, BoxMessage, Proposal
from zhigong.participation.tests.conftest import draft


def test_remind_flags_overdue_and_digests_the_box(vw, world):
    p = draft(vw)
    actions.submit(vw.cw.users[0], p)
    actions.start_review(vw.cw.chair, p)
    actions.accept(vw.cw.chair, p)
    actions.assign(vw.cw.chair, p, vw.production, [])
    Proposal.objects.filter(pk=p.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    box = actions.open_box(world.enterprise_admin, world.enterprise_a)
    message, _code = actions.drop_message(box, "意见", "other", False, [], "10.0.0.9")
    BoxMessage.objects.filter(pk=message.pk).update(received_on=timezone.localdate() - timedelta(days=2))
    out = StringIO()
    call_command("remind", stdout=out)
    assert "reminded: 1" in out.getvalue() and "recorded: 1" in out.getvalue()
    assert BoxDigest.objects.count() == 1
    out = StringIO()
    call_command("remind", stdout=out)
    assert "reminded: 0" in out.getvalue() and "recorded: 0" in out.getvalue()
