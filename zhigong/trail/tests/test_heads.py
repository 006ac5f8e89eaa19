"""Signed tree heads: Ed25519 over the documented bytes, one stored head per size, and no crash
when two callers sign the same size at once."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction

from zhigong.trail import heads, record
from zhigong.trail.actions import current_root
from zhigong.trail.models import TreeHead


def append(n: int = 1) -> None:
    for i in range(n):
        with transaction.atomic():
            record(None, "test.thing", ("test.thing", i), {"i": i})


def documented_message(head) -> bytes:
    return (b"zhigong-trail-head-v1\n" + head.size.to_bytes(8, "big") + head.root_hash
            + head.signed_at_ms.to_bytes(8, "big"))


@pytest.mark.django_db
def test_the_head_is_signed_over_the_documented_bytes():
    append(3)
    head = heads.latest_head()
    assert (head.size, head.root_hash) == current_root()
    seed = base64.b64decode(settings.TRAIL_KEY)
    expected_key = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    assert heads.public_key_bytes() == expected_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    Ed25519PublicKey.from_public_bytes(heads.public_key_bytes()).verify(head.signature, documented_message(head))


@pytest.mark.django_db
def test_the_stored_head_verifies_after_a_round_trip():
    append(2)
    head = heads.latest_head()
    row = TreeHead.objects.get(size=head.size)
    assert row.signed_at.microsecond % 1000 == 0  # only milliseconds are signed
    assert heads.signature_is_valid(row)
    assert heads.head_at(head.size) == head


@pytest.mark.django_db
def test_one_head_per_size_and_a_new_one_after_an_append():
    append(2)
    first = heads.latest_head()
    assert heads.latest_head() == first
    append(1)
    second = heads.latest_head()
    assert second.size == first.size + 1
    assert TreeHead.objects.count() == 2


@pytest.mark.django_db
def test_a_caller_losing_the_race_gets_the_winners_head():
    append(2)
    size, root_hash = current_root()
    winner = heads._store_new_head(size, root_hash)
    # A second signer that read the state before the first stored its head.
    loser = heads._store_new_head(size, root_hash)
    assert loser == winner
    assert TreeHead.objects.filter(size=size).count() == 1


@pytest.mark.django_db
def test_a_tampered_head_does_not_verify():
    append(1)
    head = heads.latest_head()
    TreeHead.objects.filter(size=head.size).update(size=head.size + 5)
    assert not heads.signature_is_valid(TreeHead.objects.get())
