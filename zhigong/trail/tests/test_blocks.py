"""Block roots (one per 1024 events) let proofs read a thousand rows instead of a million;
proofs built from them must be exactly the proofs built from every leaf hash."""

import pytest
from django.db import transaction

from zhigong.trail import merkle, queries, record
from zhigong.trail.models import Block, Event
from zhigong.trail.tests.bulk import bulk_trail
from zhigong.trail.verify import verify

B = merkle.BLOCK_SIZE


def event_id(seq: int) -> int:
    return Event.objects.get(seq=seq).pk


@pytest.mark.django_db
def test_record_writes_the_block_that_an_event_completes():
    hashes = bulk_trail(B - 1)
    assert not Block.objects.exists()
    with transaction.atomic():
        event = record(None, "test.thing", None, {})
    hashes.append(bytes(event.leaf_hash))
    assert bytes(Block.objects.get(index=0).root_hash) == merkle.root(hashes[:B])
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize("drop_blocks", [False, True])
def test_proofs_from_blocks_equal_proofs_from_all_leaves(drop_blocks):
    n = 2 * B + 552
    hashes = bulk_trail(n)
    if drop_blocks:  # a missing block is rebuilt from its leaves, not trusted blindly
        Block.objects.filter(index=1).delete()
    for size in (B - 1, B, B + 1, 2 * B - 1, 2 * B, 2 * B + 1, n):
        for seq in sorted({1, 2, B - 1, B, B + 1, 2 * B, size // 2, size - 1, size} - {0}):
            if seq > size:
                continue
            proof = queries.inclusion(event_id(seq), size)
            assert proof["audit_path"] == [h.hex() for h in merkle.inclusion_proof(hashes[:size], seq - 1)]
            assert proof["root_hash"] == merkle.root(hashes[:size]).hex()
    for first, second in [(1, n), (B - 1, B), (B, B + 1), (B + 3, 2 * B), (2 * B, n), (1000, 2100), (n, n)]:
        answer = queries.consistency(first, second)
        assert answer["proof"] == [h.hex() for h in merkle.consistency_proof(hashes[:second], first)]
        assert answer["first_root"] == merkle.root(hashes[:first]).hex()
        assert answer["second_root"] == merkle.root(hashes[:second]).hex()


@pytest.mark.django_db
def test_verify_names_a_wrong_block_root():
    bulk_trail(3 * B, head_sizes=(B, 3 * B))
    assert verify().ok
    Block.objects.filter(index=1).update(root_hash=merkle.leaf_hash(b"not the block"))
    result = verify()
    assert (result.problem.kind, result.problem.seq, result.problem.last_seq) == ("block", B + 1, 2 * B)
