"""Contested elections of worker directors: rounds, runoffs, seats, recall by the congress."""

import pytest

from zhigong.core.errors import DomainError
from zhigong.democracy import actions, queries, rules
from zhigong.democracy.models import Governance, WorkerSeat
from zhigong.democracy.tests.conftest import start


def elect_item(cw, seats=1, candidates=3, matter="worker_director"):
    start(cw, items=[("选举职工董事", "elect", {"matter": matter, "seats": seats})])
    item = cw.session.items.get()
    people = [d.person for d in cw.delegates[-candidates:]]
    cands = [actions.add_candidate(cw.chair, item, p) for p in people] if candidates else []
    return item, cands


def ballots_for(cw, item, plan):
    """plan: list of (how many delegates, approved candidate list), in delegate order."""
    i = 0
    for count, approved in plan:
        for _ in range(count):
            actions.cast_ballot(cw.users[i], item, {"approve": [c.pk for c in approved]})
            i += 1


def test_contested_election_needs_more_candidates_than_seats(cw):
    item, _cands = elect_item(cw, seats=2, candidates=2)
    with pytest.raises(DomainError) as err:
        actions.open_voting(cw.chair, item)
    assert err.value.code == "election.not_contested"


def test_top_candidate_over_half_of_all_delegates_takes_the_seat(cw):
    item, (a, b, c) = elect_item(cw)
    actions.open_voting(cw.chair, item)
    ballots_for(cw, item, [(25, [a]), (10, [b]), (5, [c])])
    round_ = actions.close_voting(cw.chair, item)
    assert round_.result["elected"] == [a.pk]
    seat = WorkerSeat.objects.get(elected_by=item)
    assert (seat.person, seat.kind, seat.term_end) == (a.person, "director", cw.term.end_date)
    assert cw.session.items.get().resolution.passed


def test_too_many_approvals_on_one_ballot_is_refused(cw):
    item, (a, b, _c) = elect_item(cw)
    actions.open_voting(cw.chair, item)
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(cw.users[0], item, {"approve": [a.pk, b.pk]})
    assert err.value.code == "ballot.too_many"


def test_no_majority_leads_to_a_further_round(cw):
    item, (a, b, c) = elect_item(cw)
    actions.open_voting(cw.chair, item)
    ballots_for(cw, item, [(20, [a]), (15, [b]), (5, [c])])  # 20 < 21 = more than half of 40
    first = actions.close_voting(cw.chair, item)
    assert first.result["elected"] == [] and first.result["next_round_seats"] == 1
    item.refresh_from_db()
    assert item.status == "pending"
    assert not type(item).objects.filter(pk=item.pk, resolution__isnull=False).exists()
    second = actions.open_voting(cw.chair, item)
    assert second.number == 2
    ballots_for(cw, item, [(30, [a]), (10, [b])])
    assert actions.close_voting(cw.chair, item).result["elected"] == [a.pk]


def test_tie_at_the_last_seat_goes_to_a_runoff_between_the_tied(cw):
    item, (a, b, c) = elect_item(cw, seats=2)
    actions.open_voting(cw.chair, item)
    ballots_for(cw, item, [(15, [a, b]), (15, [a, c]), (10, [b, c])])  # a 30, b 25, c 25
    first = actions.close_voting(cw.chair, item)
    assert first.result["elected"] == [a.pk]
    assert (first.result["runoff"], first.result["runoff_seats"]) == (sorted([b.pk, c.pk]), 1)
    runoff = actions.open_voting(cw.chair, item)
    assert set(runoff.candidates.all()) == {b, c} and runoff.seats == 1
    ballots_for(cw, item, [(25, [b]), (15, [c])])
    actions.close_voting(cw.chair, item)
    item.refresh_from_db()
    assert item.status == "closed"
    assert set(WorkerSeat.objects.values_list("person", flat=True)) == {a.person_id, b.person_id}
    assert item.resolution.figures["elected_names"] == [a.person.name, b.person.name]


def test_runoff_by_the_rule(cw):
    outcome = rules.election_round({1: 25, 2: 25, 3: 10}, seats=1, threshold=21)
    assert outcome.runoff == [1, 2] and outcome.runoff_seats == 1 and outcome.elected == []


def test_governance_checks_and_recall(cw, world):
    actions.set_governance(cw.chair, world.enterprise_a, "llc", False, False, 0)
    checks = {c.code: c for c in queries.governance_checks(world.enterprise_a)}
    assert not checks["governance.worker_director"].ok  # 350 workers, no supervisory board
    item, (a, b, c) = elect_item(cw)
    actions.open_voting(cw.chair, item)
    ballots_for(cw, item, [(30, [a]), (10, [b])])
    actions.close_voting(cw.chair, item)
    assert {c.code: c for c in queries.governance_checks(world.enterprise_a)}["governance.worker_director"].ok
    seat = WorkerSeat.objects.get()
    recall = actions.add_agenda_item(cw.chair, cw.session, "罢免职工董事", "approve",
                                     matter="worker_director", recall_seat=seat)
    actions.open_voting(cw.chair, recall)
    for user in cw.users[:21]:
        actions.cast_ballot(user, recall, {"choice": "yes"})
    actions.close_voting(cw.chair, recall)
    seat.refresh_from_db()
    assert seat.status == "recalled" and seat.recalled_by == recall
    assert Governance.objects.get().company_form == "llc"
