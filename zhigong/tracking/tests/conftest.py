"""Tracking stands on the workers' voice world: its congress session is opened, deliberates a
canteen plan and a business report (advise items: resolutions to carry out) and elects a
committee member (an election: nothing to carry out). Advise items need no disclosure before a
vote, so these resolutions do not depend on 厂务公开's rules."""

from dataclasses import dataclass

import pytest

from zhigong.democracy import actions as congress
from zhigong.democracy.models import Resolution
from zhigong.democracy.tests.conftest import start
from zhigong.participation.tests.conftest import VoiceWorld, vw  # noqa: F401 (fixture)
from zhigong.tracking import actions


@dataclass
class TrackWorld:
    vw: VoiceWorld
    chair: object
    enterprise: object
    passed: Resolution
    elected: Resolution
    advised: Resolution


def _elect(cw, item) -> Resolution:
    a, b = (congress.add_candidate(cw.chair, item, d.person) for d in cw.delegates[-2:])
    congress.open_voting(cw.chair, item)
    for i in range(20):
        congress.cast_ballot(cw.users[i], item, {"approve": [a.pk]})
    congress.close_voting(cw.chair, item)
    return Resolution.objects.get(item=item)


@pytest.fixture
def tw(vw, world) -> TrackWorld:  # noqa: F811 (vw is the fixture imported above)
    cw = vw.cw
    start(cw, present=30, items=[("职工食堂改造方案", "advise", {}),
                                 ("生产经营情况报告", "advise", {"matter": "business_report"}),
                                 ("增补提案工作委员会委员", "elect", {"matter": "committee", "seats": 1})])
    items = list(cw.session.items.order_by("order"))
    passed = congress.close_advise_item(cw.chair, items[0], "同意食堂改造方案，年内完成。")
    advised = congress.close_advise_item(cw.chair, items[1], "代表们建议加强安全投入。")
    elected = _elect(cw, items[2])
    return TrackWorld(vw, cw.chair, world.enterprise_a, passed, elected, advised)


def answered(tw, title: str, progress: int = 0):
    """An accepted proposal assigned to production and answered (progress may be reported on it),
    with a first report of `progress` % by production's clerk when given."""
    from zhigong.participation import actions as voice
    from zhigong.participation.tests.conftest import draft

    proposal = draft(tw.vw, title=title)
    voice.submit(tw.vw.cw.users[0], proposal)
    member = tw.vw.cw.users[25]
    voice.start_review(member, proposal)
    voice.accept(member, proposal)
    voice.assign(member, proposal, tw.vw.production, [])
    voice.answer(tw.vw.clerk, proposal, "同意办理", "分两步实施")
    if progress:
        voice.report_progress(tw.vw.clerk, proposal, progress, "第一步已开始")
    proposal.refresh_from_db()
    return proposal


def measures(tw, *specs):
    """specs: (title, weight, due_on[, department]) → the measures of the passed resolution."""
    return [actions.add_measure(tw.chair, tw.passed, title, weight, due, *rest) for title, weight, due, *rest in specs]
