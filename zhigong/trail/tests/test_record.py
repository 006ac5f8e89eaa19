"""trail.record(): inside the change's transaction, no actor for anonymous channels, the day
only when timing could give a sender away."""

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from zhigong.trail import merkle, record
from zhigong.trail.actions import current_root
from zhigong.trail.models import Event, TrailState

SHANGHAI = ZoneInfo("Asia/Shanghai")


def leaf_of(event: Event) -> dict:
    return json.loads(bytes(event.leaf))


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises():
    before = Event.objects.count()
    with pytest.raises(RuntimeError):
        record(None, "test.outside", ("test.thing", 1), {})
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_it_appends_canonical_leaves_in_sequence(world):
    first_seq = current_root()[0] + 1
    with transaction.atomic():
        event = record(world.cadre_a, "test.thing", world.enterprise_a, {"b": 2, "a": "职工"})
    leaf = bytes(event.leaf)
    assert event.seq == first_seq
    assert leaf.startswith(b'{"actor":%d,"at":"' % world.cadre_a.pk)  # sorted keys, no spaces
    assert '"data":{"a":"职工","b":2}'.encode() in leaf  # UTF-8, not \u escapes
    content = leaf_of(event)
    assert content["seq"] == event.seq
    assert content["object"] == f"core.organization:{world.enterprise_a.pk}"
    assert len(content["salt"]) == 32  # leaf hashes are public: the salt defeats guessing
    assert bytes(event.leaf_hash) == hashlib.sha256(b"\x00" + leaf).digest()
    hashes = [bytes(h) for h in Event.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert current_root() == (event.seq, merkle.root(hashes))


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_anonymous_actor_stores_no_actor(actor):
    with transaction.atomic():
        event = record(actor, "suggestion.submit", ("participation.suggestion", 7), {"text_digest": "ab"})
    event.refresh_from_db()
    assert event.actor_id is None
    assert leaf_of(event)["actor"] is None


@pytest.mark.django_db
def test_day_only_rounds_the_time_down_to_the_local_day():
    with transaction.atomic():
        event = record(None, "suggestion.submit", ("participation.suggestion", 8), {}, day_only=True)
    event.refresh_from_db()
    local = event.created_at.astimezone(SHANGHAI)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    now = datetime.now(SHANGHAI)
    assert timedelta(0) <= now - local < timedelta(days=1)
    at = leaf_of(event)["at"]
    assert at == local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert at.endswith("T16:00:00Z")  # Shanghai midnight is 16:00 UTC the day before


@pytest.mark.django_db
def test_it_recreates_a_lost_state_row():
    # `flush` and transactional tests empty every table, the state row included.
    Event.objects.all().delete()
    TrailState.objects.all().delete()
    with transaction.atomic():
        event = record(None, "test.thing", None, {})
    assert event.seq == 1
    assert current_root() == (1, merkle.leaf_hash(bytes(event.leaf)))
