"""Disclosing what a congress session will vote on, for tests of any app that open approve items
(democracy's fixtures use it): every before-vote matter of the enterprise's catalogue, published
for the session by the person who runs the congress."""

from zhigong.disclosure import actions
from zhigong.disclosure.models import Frequency, Matter


def disclose_before_vote(actor, session) -> list:
    enterprise = session.term.congress.enterprise
    actions.adopt_defaults(actor, enterprise)
    matters = Matter.objects.filter(enterprise=enterprise, frequency=Frequency.BEFORE_VOTE).order_by("id")
    return [actions.publish(actor, m, f"关于提交职代会审议{m.name}的公示", f"{m.name}全文见附件，请职工提出意见。",
                            session=session) for m in matters]
