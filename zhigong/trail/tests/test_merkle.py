"""The Merkle core against an independent, deliberately naive reading of RFC 6962 written
here: recursion exactly as the RFC's definitions, nothing shared with merkle.py."""

import hashlib

import pytest

from zhigong.trail import merkle

SIZES = list(range(1, 71))  # every shape up to 70 leaves, with 1, 2, 4, 8, 16, 32, 64 among them


def rfc_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def rfc_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes: list[bytes]) -> bytes:
    """MTH(D[n]) of RFC 6962 2.1 over leaf hashes."""
    if len(hashes) == 0:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = largest_power_of_two_below(len(hashes))
    return rfc_node(mth(hashes[:k]), mth(hashes[k:]))


def path(m: int, hashes: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 2.1.1."""
    if len(hashes) == 1:
        return []
    k = largest_power_of_two_below(len(hashes))
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def subproof(m: int, hashes: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 6962 2.1.2."""
    n = len(hashes)
    if m == n:
        return [] if complete else [mth(hashes)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return subproof(m, hashes[:k], complete) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


LEAVES = [f'{{"seq":{i},"verb":"test"}}'.encode() for i in range(1, 71)]
HASHES = [rfc_leaf(leaf) for leaf in LEAVES]


@pytest.mark.parametrize("size", SIZES)
def test_root_matches_rfc(size):
    assert merkle.root(HASHES[:size]) == mth(HASHES[:size])
    assert merkle.root_of_leaves(LEAVES[:size]) == mth(HASHES[:size])


def test_leaf_and_node_hashes_carry_the_domain_prefixes():
    assert merkle.leaf_hash(b"abc") == rfc_leaf(b"abc")
    assert merkle.leaf_hashes(LEAVES) == HASHES
    assert merkle.node_hash(HASHES[0], HASHES[1]) == rfc_node(HASHES[0], HASHES[1])
    assert merkle.root([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", SIZES)
def test_frontier_appends_and_extends_to_the_same_root(size):
    frontier: list[bytes] = []
    for index, h in enumerate(HASHES[:size]):
        frontier = merkle.append(frontier, index, h)
    assert merkle.fold(frontier) == mth(HASHES[:size])
    # Extending in two runs from every split point gives the same frontier.
    for split in range(size + 1):
        head = merkle.extend([], 0, HASHES[:split])
        assert merkle.extend(head, split, HASHES[split:size]) == frontier


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_match_rfc_and_verify(size):
    hashes = HASHES[:size]
    root = mth(hashes)
    for index in range(size):
        proof = merkle.inclusion_proof(hashes, index)
        assert proof == path(index, hashes)
        assert merkle.verify_inclusion(hashes[index], index, size, proof, root)
        # A proof must not pass for another leaf, index or root.
        assert not merkle.verify_inclusion(rfc_leaf(b"forged"), index, size, proof, root)
        assert not merkle.verify_inclusion(hashes[index], index, size, proof, rfc_leaf(b"x"))
        if size > 1:
            other = (index + 1) % size
            assert not merkle.verify_inclusion(hashes[index], other, size, proof, root)


@pytest.mark.parametrize("size", SIZES)
def test_consistency_proofs_match_rfc_and_verify(size):
    hashes = HASHES[:size]
    for first in range(1, size + 1):
        proof = merkle.consistency_proof(hashes, first)
        assert proof == subproof(first, hashes, True)
        first_root, second_root = mth(hashes[:first]), mth(hashes)
        assert merkle.verify_consistency(first, size, first_root, second_root, proof)
        assert not merkle.verify_consistency(first, size, rfc_leaf(b"x"), second_root, proof)
        if first < size:
            assert not merkle.verify_consistency(first, size, first_root, rfc_leaf(b"x"), proof)


def test_bad_arguments_are_refused():
    with pytest.raises(IndexError):
        merkle.inclusion_proof(HASHES[:4], 4)
    with pytest.raises(ValueError):
        merkle.consistency_proof(HASHES[:4], 0)
    assert not merkle.verify_inclusion(HASHES[0], 5, 4, [], HASHES[0])
    assert not merkle.verify_consistency(5, 4, HASHES[0], HASHES[0], [])


@pytest.mark.parametrize("split", [0, 1, 5, 1023, 1024, 1025, 2047, 3000])
def test_extend_reports_each_completed_block_once(split):
    hashes = [rfc_leaf(b"%d" % i) for i in range(3 * 1024 + 17)]
    blocks: list[bytes] = []
    frontier = merkle.extend([], 0, hashes[:split], blocks)
    for index in range(split, len(hashes), 333):  # uneven runs, as heads cut them in verify
        frontier = merkle.extend(frontier, index, hashes[index : min(index + 333, len(hashes))], blocks)
    assert blocks == [mth(hashes[b * 1024 : (b + 1) * 1024]) for b in range(3)]
    assert merkle.fold(frontier) == mth(hashes)


def test_aligned_pieces_fold_to_the_subtree_root():
    for start, end in [(0, 70), (64, 70), (32, 63), (0, 1), (48, 64)]:
        pieces = merkle.aligned_pieces(start, end)
        assert all(at % width == 0 for at, width in pieces)
        assert merkle.fold([mth(HASHES[at : at + width]) for at, width in pieces]) == mth(HASHES[start:end])
