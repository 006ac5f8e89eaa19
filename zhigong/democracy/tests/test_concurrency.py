"""500 delegates vote on one item at once on PostgreSQL: every ballot counted once, second
attempts refused, the tally equals the bulletin."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from zhigong.core.errors import DomainError
from zhigong.core.identifiers import id_number
from zhigong.core.models import Employment, Person, User
from zhigong.democracy import actions, queries
from zhigong.democracy.models import CheckIn, Delegate
from zhigong.disclosure.tests.helpers import disclose_before_vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DELEGATES = 500


def bulk_delegates(world, term, place, count):
    """Set-up only: the people and their delegacies in bulk (the election itself is tested
    elsewhere); the votes below go through the real action."""
    from zhigong.core.actions import id_index
    from zhigong.core.crypto import encrypt

    people = []
    for i in range(count):
        number = id_number("320102", date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i % 1000)
        people.append(Person(name=f"代表{i}", id_number_encrypted=encrypt(number, b"id_number"),
                             id_number_index=id_index(number), id_masked=number[:4] + "*" * 10 + number[-4:],
                             id_last4=number[-4:], birth_date=date(1980, 1, 1), sex="M", region_id="320102",
                             scope_path=world.enterprise_a.path))
    people = Person.objects.bulk_create(people)
    Employment.objects.bulk_create([Employment(person=p, enterprise=world.enterprise_a, start_date=date(2010, 1, 1),
                                               form="labour_contract", region_id="320102") for p in people])
    delegates = Delegate.objects.bulk_create([
        Delegate(term=term, person=p, constituency=place, elected_on=term.start_date, votes_for=600, voters=1000,
                 frontline=i % 10 < 7, manager=i % 10 == 9) for i, p in enumerate(people)])
    users = User.objects.bulk_create([User(username=f"d{i}", person=p) for i, p in enumerate(people)])
    return delegates, users


def open_item(world, count):
    chair = world.enterprise_admin
    workers = count * 20  # so that the count meets 5 % of the workforce
    world.enterprise_a.employee_count = workers
    world.enterprise_a.save()
    congress = actions.create_congress(chair, world.enterprise_a)
    term = actions.start_term(chair, congress, 1, date(2025, 1, 1), date(2029, 12, 31), workers, workers // 3)
    place = actions.add_constituency(chair, term, "全厂", "other", 1000)
    delegates, users = bulk_delegates(world, term, place, count)
    session = actions.schedule_session(chair, term, "", timezone.now() + timedelta(days=7), "礼堂")
    item = actions.add_agenda_item(chair, session, "集体合同草案", "approve", matter="collective_contract")
    disclose_before_vote(chair, session)
    actions.convene_session(chair, session)
    CheckIn.objects.bulk_create([CheckIn(session=session, delegate=d, by="secretariat") for d in delegates])
    actions.open_session(chair, session)
    actions.open_voting(chair, item)
    return chair, item, users


def test_closing_while_ballots_arrive_counts_exactly_the_accepted_ones(world):
    """The chair closes the round while ballots are coming in: a ballot is either accepted and
    counted, or refused as closed; nothing is half-written. (The ballot finds its round without
    a lock, then stores the roll entry and the ballot in one statement that locks the round and
    checks it is still open; closing locks the round FOR UPDATE.)"""
    chair, item, users = open_item(world, 120)
    outcomes = {"ok": 0, "closed": 0, "other": []}
    lock = threading.Lock()

    def cast(index):
        try:
            actions.cast_ballot(users[index], item, {"choice": "yes"})
            key = "ok"
        except DomainError as exc:
            key = "closed" if exc.code == "ballot.closed" else None
            if key is None:
                with lock:
                    outcomes["other"].append(exc.code)
        finally:
            connections.close_all()
        if key:
            with lock:
                outcomes[key] += 1

    def close_after_some():
        while True:
            with lock:
                if outcomes["ok"] >= 30:
                    break
        try:
            return actions.close_voting(chair, item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        closing = pool.submit(close_after_some)
        list(pool.map(cast, range(120)))
        round_ = closing.result()
    assert outcomes["other"] == [] and outcomes["ok"] + outcomes["closed"] == 120
    assert outcomes["ok"] >= 30
    round_.refresh_from_db()
    assert round_.roll.count() == round_.secret_ballots.count() == outcomes["ok"] == round_.result["yes"]


def test_500_delegates_vote_at_once(world):
    chair = world.enterprise_admin
    world.enterprise_a.employee_count = 9000
    world.enterprise_a.save()
    congress = actions.create_congress(chair, world.enterprise_a)
    term = actions.start_term(chair, congress, 1, date(2025, 1, 1), date(2029, 12, 31), 9000, 3000)
    place = actions.add_constituency(chair, term, "全厂", "other", 1000)
    delegates, users = bulk_delegates(world, term, place, DELEGATES)
    session = actions.schedule_session(chair, term, "", timezone.now() + timedelta(days=7), "礼堂")
    item = actions.add_agenda_item(chair, session, "集体合同草案", "approve", matter="collective_contract")
    disclose_before_vote(chair, session)  # matters the congress approves are disclosed first (厂务公开)
    actions.convene_session(chair, session)
    CheckIn.objects.bulk_create([CheckIn(session=session, delegate=d, by="secretariat") for d in delegates])
    actions.open_session(chair, session)
    actions.open_voting(chair, item)

    choices = ["yes", "yes", "no", "abstain"]
    outcomes = {"ok": 0, "refused": 0, "other": []}
    lock = threading.Lock()

    def cast(index):
        try:
            actions.cast_ballot(users[index], item, {"choice": choices[index % 4]})
            key = "ok"
        except DomainError as exc:
            key = "refused" if exc.code == "ballot.already_cast" else None
            if key is None:
                with lock:
                    outcomes["other"].append(exc.code)
        finally:
            connections.close_all()
        if key:
            with lock:
                outcomes[key] += 1

    # Every delegate once, and the first hundred a second time, all interleaved.
    attempts = list(range(DELEGATES)) + list(range(100))
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(cast, attempts))
    assert outcomes == {"ok": DELEGATES, "refused": 100, "other": []}

    round_ = actions.close_voting(chair, item)
    assert round_.roll.count() == DELEGATES
    board = queries.bulletin(round_)
    assert len(board["entries"]) == DELEGATES and board["digest_ok"]
    recount = {"yes": 0, "no": 0, "abstain": 0}
    for entry in board["entries"]:
        recount[entry["content"]["choice"]] += 1
    assert recount == {"yes": 250, "no": 125, "abstain": 125}
    assert (round_.result["yes"], round_.result["no"], round_.result["abstain"]) == (250, 125, 125)
    assert round_.result["passed"] is False  # 250 is not more than half of 500
    assert connection.vendor == "postgresql"
