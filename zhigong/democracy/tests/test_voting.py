"""Voting: more than half of ALL delegates, one ballot each, results hidden until the close."""

import pytest

from zhigong.core.errors import DomainError
from zhigong.democracy import actions, ballots, queries
from zhigong.democracy.models import Resolution
from zhigong.democracy.tests.conftest import start
from zhigong.trail.models import Event


def vote(cw, choices):
    """choices: list of (user index, choice)."""
    return [actions.cast_ballot(cw.users[i], cw.item, {"choice": c}) for i, c in choices]


@pytest.fixture
def voting(cw):
    start(cw, present=30, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    cw.item = cw.session.items.get()
    assert cw.item.secret  # an important matter: secret ballot
    actions.open_voting(cw.chair, cw.item)
    return cw


def test_exactly_half_of_all_delegates_does_not_pass(voting):
    vote(voting, [(i, "yes") for i in range(20)] + [(i, "no") for i in range(20, 25)])
    round_ = actions.close_voting(voting.chair, voting.item)
    assert (round_.result["yes"], round_.result["threshold"], round_.result["passed"]) == (20, 21, False)
    resolution = Resolution.objects.get(item=voting.item)
    assert not resolution.passed and "未通过" in resolution.text


def test_majority_of_all_not_of_present(voting):
    vote(voting, [(i, "yes") for i in range(21)] + [(i, "no") for i in range(21, 30)])
    round_ = actions.close_voting(voting.chair, voting.item)
    assert round_.result["passed"] and round_.result["present"] == 30 and round_.result["delegates"] == 40
    resolution = Resolution.objects.get(item=voting.item)
    assert resolution.passed and resolution.figures["yes"] == 21
    assert Event.objects.get(seq=resolution.event_seq).verb == "congress.round.close"


def test_second_ballot_is_refused_and_writes_nothing(voting):
    vote(voting, [(0, "yes")])
    with pytest.raises(DomainError) as err:
        vote(voting, [(0, "no")])
    assert err.value.code == "ballot.already_cast" and "重复" in str(err.value.message)
    current = voting.item.rounds.get()
    assert current.secret_ballots.count() == 1 and current.roll.count() == 1


def test_absent_delegate_and_outsider_cannot_vote(voting, world):
    with pytest.raises(DomainError) as err:
        vote(voting, [(35, "yes")])  # not checked in
    assert err.value.code == "ballot.not_checked_in"
    from zhigong.core.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        actions.cast_ballot(world.worker, voting.item, {"choice": "yes"})


def test_bad_ballot_content(voting):
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(voting.users[0], voting.item, {"choice": "maybe"})
    assert err.value.code == "ballot.choice"
    assert voting.item.rounds.get().roll.count() == 0


def test_results_hidden_until_close(voting):
    vote(voting, [(0, "yes"), (1, "no")])
    live = queries.live_figures(voting.item)
    assert live["cast"] == 2 and "yes" not in live and live["result"] is None
    assert queries.bulletin(voting.item.rounds.get()) is None
    actions.close_voting(voting.chair, voting.item)
    assert queries.live_figures(voting.item)["result"]["yes"] == 1


def test_the_resolution_is_written_in_chinese_whatever_the_chairs_language(voting):
    """A resolution is the congress's document: closing from an English page still numbers and
    words it in Chinese (the English number did not fit the column on PostgreSQL)."""
    from django.utils import translation

    vote(voting, [(0, "yes"), (1, "no")])
    with translation.override("en"):
        actions.close_voting(voting.chair, voting.item)
    resolution = voting.item.__class__.objects.get(pk=voting.item.pk).resolution
    assert resolution.number.startswith("第") and "决议" in resolution.number
    assert "全体代表" in resolution.text


def test_receipt_is_on_the_bulletin_and_the_bulletin_recounts(voting):
    salt = ballots.new_salt()
    round_id = voting.item.rounds.get().pk
    mine = ballots.commitment_for(round_id, {"choice": "no"}, salt)
    receipt = actions.cast_ballot(voting.users[0], voting.item, {"choice": "no"}, commitment=mine)
    assert receipt["salt"] is None  # the phone keeps its own salt
    others = vote(voting, [(i, "yes") for i in range(1, 25)])
    assert all(o["salt"] for o in others)  # server-made salts are returned once
    actions.close_voting(voting.chair, voting.item)
    board = queries.bulletin(voting.item.rounds.get())
    entries = {e["receipt"]: e["content"] for e in board["entries"]}
    assert entries[receipt["receipt"]] == {"choice": "no"}
    # The voter re-derives the receipt from what only they know.
    from zhigong.democracy.rules import receipt_code
    assert receipt_code(ballots.commitment_for(round_id, {"choice": "no"}, salt)) == receipt["receipt"]
    recount = {"yes": 0, "no": 0, "abstain": 0}
    for content in entries.values():
        recount[content["choice"]] += 1
    assert (recount["yes"], recount["no"]) == (board["result"]["yes"], board["result"]["no"]) == (24, 1)
    assert board["digest_ok"]


def test_open_item_shows_who_voted_how(cw):
    start(cw, present=30, items=[("生产经营情况的审议意见", "approve", {"matter": "other"})])
    item = cw.session.items.get()
    assert not item.secret
    actions.open_voting(cw.chair, item)
    actions.cast_ballot(cw.users[0], item, {"choice": "yes"})
    actions.close_voting(cw.chair, item)
    entries = queries.bulletin(item.rounds.get())["entries"]
    assert entries[0]["delegate"] == cw.delegates[0].person.name


def test_items_are_voted_one_at_a_time(cw):
    start(cw, items=[("甲", "approve", {}), ("乙", "approve", {})])
    first, second = cw.session.items.all()
    actions.open_voting(cw.chair, first)
    with pytest.raises(DomainError) as err:
        actions.open_voting(cw.chair, second)
    assert err.value.code == "item.other_voting"


def test_advise_item_closes_with_a_summary(cw):
    start(cw, items=[("生产经营情况报告", "advise", {"matter": "business_report"})])
    item = cw.session.items.get()
    with pytest.raises(DomainError):
        actions.open_voting(cw.chair, item)
    resolution = actions.close_advise_item(cw.chair, item, "代表们建议加强安全投入。")
    assert resolution.figures["kind"] == "advise" and resolution.text.startswith("代表们")
