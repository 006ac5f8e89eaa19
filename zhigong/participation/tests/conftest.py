"""Proposals stand on the congress of the standing world (30 delegates, departments)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.core import actions as core
from zhigong.democracy import actions as congress_actions
from zhigong.democracy.tests.conftest import CongressWorld, build_congress
from zhigong.participation import actions


@dataclass
class VoiceWorld:
    cw: CongressWorld
    production: object
    logistics: object
    clerk: object  # a member of the production department


@pytest.fixture
def vw(world) -> VoiceWorld:
    cw = build_congress(world, delegates=30)
    today = timezone.localdate()
    actions.set_window(cw.chair, cw.session, today - timedelta(days=10), today + timedelta(days=10))
    production = core.create_department(world.enterprise_admin, world.enterprise_a, "生产部")
    logistics = core.create_department(world.enterprise_admin, world.enterprise_a, "后勤部")
    clerk = core.create_account(world.admin, "clerk", "Zhigong-test-2026")
    core.add_department_member(world.enterprise_admin, production, clerk)
    congress_actions.create_committee(cw.chair, cw.term, "proposal", "提案工作委员会", cw.delegates[25:28])
    return VoiceWorld(cw, production, logistics, clerk)


def draft(vw, i=0, title="关于提高高温津贴标准的提案", cosigners=(1, 2), cause="车间温度高，津贴偏低。",
          measures="按市标准上调。"):
    p = actions.draft_proposal(vw.cw.users[i], vw.cw.session, title, cause, measures, "wages")
    for j in cosigners:
        actions.cosign(vw.cw.users[j], p)
    return p
