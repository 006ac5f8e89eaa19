"""Secret ballots: nothing stored, logged or trailed pairs a delegate with a choice."""

import logging

import pytest
from django.db import connection

from zhigong.democracy import actions
from zhigong.democracy.models import SecretBallot, VoterRoll
from zhigong.democracy.tests.conftest import start
from zhigong.trail.models import Event


@pytest.fixture
def secret_vote(cw, caplog):
    start(cw, present=30, items=[("职工福利基金使用方案", "approve", {"matter": "welfare_fund"})])
    item = cw.session.items.get()
    assert item.secret
    actions.open_voting(cw.chair, item)
    seq_before = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    caplog.set_level(logging.DEBUG)
    choices = ["yes", "no", "abstain"]
    receipts = [actions.cast_ballot(cw.users[i], item, {"choice": choices[i % 3]}) for i in range(30)]
    return cw, item, receipts, seq_before, caplog


def test_ballot_rows_carry_no_voter_and_no_time(secret_vote):
    _cw, item, _receipts, _seq, _caplog = secret_vote
    assert {f.name for f in SecretBallot._meta.get_fields()} == {"id", "round", "receipt", "content"}
    assert {f.name for f in VoterRoll._meta.get_fields()} == {"id", "round", "delegate"}
    ids = [str(b.pk) for b in SecretBallot.objects.all()]
    assert all(len(i) == 36 for i in ids)  # random UUIDs, not an insertion counter


def test_roll_and_trail_and_logs_hold_no_choice(secret_vote):
    cw, item, receipts, seq_before, caplog = secret_vote
    for leaf in Event.objects.filter(seq__gt=seq_before).values_list("leaf", flat=True):
        text = bytes(leaf).decode()
        assert "choice" not in text and not any(r["commitment"] in text for r in receipts)
    assert Event.objects.filter(seq__gt=seq_before).count() == 0  # ballots are not trailed one by one
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for r in receipts:
        assert r["commitment"] not in logged and r["receipt"] not in logged
    assert "choice" not in logged


def test_close_rewrites_ballots_in_random_order(secret_vote):
    cw, item, _receipts, _seq, _caplog = secret_vote
    before = list(SecretBallot.objects.values_list("id", flat=True))
    actions.close_voting(cw.chair, item)
    after = list(SecretBallot.objects.values_list("id", flat=True))
    assert len(after) == 30 and not set(before) & set(after)
    roll = list(VoterRoll.objects.values_list("delegate_id", flat=True).order_by("id"))
    assert roll == sorted(roll)  # rewritten by delegate, not in the order of voting


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_close_no_system_column_orders_the_ballots(world):
    """On PostgreSQL every row carries the id of the transaction that wrote it (xmin). After
    the close rewrite, all ballots of the round share one."""
    from zhigong.democracy.tests.conftest import build_congress

    cw = build_congress(world, delegates=32)
    start(cw, present=32, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    item = cw.session.items.get()
    actions.open_voting(cw.chair, item)
    for user in cw.users[:25]:
        actions.cast_ballot(user, item, {"choice": "yes"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM democracy_secretballot")
        assert cursor.fetchone()[0] == 25
    actions.close_voting(cw.chair, item)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM democracy_secretballot")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM democracy_voterroll")
        assert cursor.fetchone()[0] == 1
