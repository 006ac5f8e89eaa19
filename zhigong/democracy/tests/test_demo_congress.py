"""zhigong demo builds a congress that the rules accept: hard composition checks pass, the closed
session's resolutions stand on bulletins that recount and hash to their digests, the convened
session lets the persona delegate check in and vote, and the trail verifies.

The demo (600 workers) is built once for the module inside a transaction that is rolled back at
the end; each test runs in a savepoint of its own."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from zhigong.core.models import User
from zhigong.democracy import actions, queries, rules
from zhigong.democracy.models import (
    AgendaItem,
    CheckIn,
    Congress,
    OpenBallot,
    Resolution,
    SecretBallot,
    Session,
    VoterRoll,
    WorkerSeat,
)
from zhigong.democracy.rulebook import load as load_rules
from zhigong.trail.models import Event
from zhigong.trail.verify import verify

MEMBERS = 600


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        out = StringIO()
        call_command("demo", members=MEMBERS, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def congress(demo, db) -> Congress:
    admin = User.objects.get(username="enterprise_admin")
    return Congress.objects.get(enterprise=admin.grants.get().organization)


def test_the_hard_composition_checks_pass(congress):
    term = congress.terms.get()
    limits = load_rules(congress.region_id, term.start_date).limits
    checks = {c.code: c for c in actions.composition(term)}
    assert all(c.ok for c in checks.values()), checks
    delegates = actions.active_delegates(term)
    n = delegates.count()
    assert n >= max(-(-term.workers * limits.min_share_permille // 1000), limits.min_delegates)
    assert delegates.filter(manager=True).count() * 5 <= n
    assert delegates.filter(frontline=True).count() * 2 >= n
    assert delegates.filter(woman=True).count() * term.workers >= n * term.women_workers - term.workers
    employees = set(congress.enterprise.employments.filter(end_date__isnull=True).values_list("person_id", flat=True))
    assert set(delegates.values_list("person_id", flat=True)) <= employees
    assert term.workers == len(employees)


def test_the_closed_session_has_resolutions_whose_bulletins_check(congress):
    past = Session.objects.get(term__congress=congress, status=Session.Status.CLOSED)
    items = list(past.items.all())
    assert {i.kind for i in items} == {"approve", "advise", "elect"}
    assert Resolution.objects.filter(item__session=past).count() == len(items)
    for item in items:
        for voting_round in item.rounds.all():
            board = queries.bulletin(voting_round)
            assert board["digest_ok"] and len(board["entries"]) == voting_round.result["cast"] == voting_round.present
            assert VoterRoll.objects.filter(round=voting_round).count() == voting_round.present
            _assert_recount(item, board)
    contract = past.items.get(matter=AgendaItem.Matter.COLLECTIVE_CONTRACT)
    assert contract.secret and contract.resolution.passed
    assert SecretBallot.objects.filter(round__item=contract).count() == contract.rounds.get().present
    assert not OpenBallot.objects.filter(round__item=contract).exists()


def _assert_recount(item: AgendaItem, board: dict) -> None:
    result = board["result"]
    if item.kind == "approve":
        recount = {c: sum(1 for e in board["entries"] if e["content"]["choice"] == c) for c in rules.CHOICES}
        assert recount == {c: result[c] for c in rules.CHOICES}
        assert result["passed"] == (result["yes"] >= result["threshold"])
    else:
        votes = {k: 0 for k in result["votes"]}
        for entry in board["entries"]:
            for candidate in entry["content"]["approve"]:
                votes[str(candidate)] += 1
        assert votes == result["votes"]


def test_the_contested_election_fills_the_worker_director_seat(congress):
    election = AgendaItem.objects.get(session__term__congress=congress, kind="elect")
    assert (election.candidates.count(), election.seats) == (3, 1)
    result = election.rounds.get().result
    [elected] = result["elected"]
    assert result["votes"][str(elected)] >= result["threshold"]
    seat = WorkerSeat.objects.get(enterprise=congress.enterprise)
    winner = election.candidates.get(pk=elected).person_id
    assert (seat.kind, seat.person_id, seat.elected_by_id) == ("director", winner, election.pk)
    checks = queries.governance_checks(congress.enterprise)
    assert checks and all(c.ok for c in checks)


def test_the_persona_delegate_checks_in_and_votes_in_the_convened_session(congress, demo):
    upcoming = Session.objects.get(term__congress=congress, status=Session.Status.CONVENED)
    assert upcoming.items.count() >= 3 and len(upcoming.check_in_code) == 6
    assert upcoming.check_in_code in demo
    figures = actions.attendance(upcoming)
    assert figures["still_needed"] == 1
    worker = User.objects.get(username="worker")
    assert not CheckIn.objects.filter(session=upcoming, delegate__person=worker.person).exists()
    actions.check_in(worker, upcoming, upcoming.check_in_code)
    chair = User.objects.get(username="enterprise_admin")
    upcoming = actions.open_session(chair, upcoming)
    item = upcoming.items.filter(kind="approve").first()
    actions.open_voting(chair, item)
    receipt = actions.cast_ballot(worker, item, {"choice": "yes"})
    assert receipt["receipt"] and queries.live_figures(item)["cast"] == 1


def test_the_trail_verifies(demo, db):
    result = verify()
    assert result.ok, result.problem and result.problem.message()
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"congress.delegate.elect", "congress.check_in", "congress.round.open", "congress.round.close",
            "congress.item.advise", "congress.session.close", "congress.session.convene"} <= verbs
    assert result.size == Event.objects.count()
