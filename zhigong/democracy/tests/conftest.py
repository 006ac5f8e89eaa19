"""A congress in enterprise A of the standing world: 40 delegates, each with a login."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from zhigong.conftest import PASSWORD
from zhigong.core import actions as core
from zhigong.core.identifiers import id_number
from zhigong.democracy import actions
from zhigong.democracy.models import Congress, Constituency, Delegate, Session, Term
from zhigong.disclosure.tests.helpers import disclose_before_vote


@dataclass
class CongressWorld:
    congress: Congress
    term: Term
    constituencies: list[Constituency]
    delegates: list[Delegate]
    users: list  # users[i] is the login of delegates[i]
    session: Session
    chair: object  # the enterprise admin runs the congress


def make_delegates(world, term, constituencies, count, start=0):
    delegates, users = [], []
    for i in range(start, start + count):
        woman = i % 5 < 2  # 40% women, as in the workforce below
        person = core.register_person(
            world.admin, world.enterprise_a, f"代表{i:03d}",
            id_number("320102", date(1970 + i % 30, 1 + i % 12, 1 + i % 28), 300 + i, male=not woman),
        )
        core.start_employment(world.admin, person, world.enterprise_a, date(2010, 1, 1), "labour_contract", 600000)
        place = constituencies[i % len(constituencies)]
        delegates.append(actions.elect_delegate(
            world.enterprise_admin, place, person, term.start_date, votes_for=place.workers // 2 + 1,
            voters=place.workers, frontline=i % 10 < 7, manager=i % 10 == 9, young=i % 4 == 0,
        ))
        users.append(core.create_account(world.admin, f"delegate{i:03d}", PASSWORD, person=person))
    return delegates, users


def build_congress(world, delegates=40) -> CongressWorld:
    chair = world.enterprise_admin
    congress = actions.create_congress(chair, world.enterprise_a)
    term = actions.start_term(chair, congress, 1, date(2025, 1, 1), date(2029, 12, 31), workers=350, women_workers=140)
    places = [actions.add_constituency(chair, term, name, "workshop", 70)
              for name in ("一车间", "二车间", "三车间", "四车间", "机关科室")]
    people, users = make_delegates(world, term, places, delegates)
    session = actions.schedule_session(chair, term, "", timezone.now() + timedelta(days=7), "职工之家")
    disclose_before_vote(chair, session)  # matters the congress approves are disclosed first (厂务公开)
    return CongressWorld(congress, term, places, people, users, session, chair)


@pytest.fixture
def cw(world) -> CongressWorld:
    return build_congress(world)


def start(cw, present=None, items=()):
    """Convene and open the session with `present` delegates checked in."""
    for title, kind, kwargs in items:
        actions.add_agenda_item(cw.chair, cw.session, title, kind, **kwargs)
    actions.convene_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    for user in cw.users[: len(cw.users) if present is None else present]:
        actions.check_in(user, cw.session, cw.session.check_in_code)
    actions.open_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    return cw.session


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))
