"""RFC 6962 Merkle tree hashing, proofs and their verification. Pure functions over bytes.

leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right); for n leaves the
tree splits at k, the largest power of two smaller than n (RFC 6962 section 2.1).
"""

from collections.abc import Sequence
from hashlib import sha256

EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def root(hashes: Sequence[bytes]) -> bytes:
    """Root of the tree over leaf hashes, level by level (no recursion, no per-node objects)."""
    if not hashes:
        return EMPTY_ROOT
    return fold(frontier_of(hashes))


def frontier_of(hashes: Sequence[bytes]) -> list[bytes]:
    """Roots of the perfect subtrees that make up the tree, largest (leftmost) first."""
    frontier: list[bytes] = []
    for index, h in enumerate(hashes):
        frontier = append(frontier, index, h)
    return frontier


def append(frontier: list[bytes], size: int, h: bytes) -> list[bytes]:
    """Add leaf hash h to a tree of `size` leaves given by its frontier; amortised O(1)."""
    frontier = frontier + [h]
    while size & 1:
        right = frontier.pop()
        frontier[-1] = node_hash(frontier[-1], right)
        size >>= 1
    return frontier


def fold(frontier: Sequence[bytes]) -> bytes:
    """Root from the frontier: fold right to left, which is exactly RFC 6962's split."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for h in reversed(frontier[:-1]):
        acc = node_hash(h, acc)
    return acc


def subtree_root(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    return root(hashes[start:end])


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path for leaf `index` in the tree over `hashes` (RFC 6962 2.1.1 PATH)."""
    n = len(hashes)
    if not 0 <= index < n:
        raise IndexError(index)
    path: list[bytes] = []
    start, end = 0, n
    while end - start > 1:
        k = _split(end - start)
        if index - start < k:
            path.append(root(hashes[start + k : end]))
            end = start + k
        else:
            path.append(root(hashes[start : start + k]))
            start = start + k
    path.reverse()
    return path


def consistency_proof(hashes: Sequence[bytes], first: int) -> list[bytes]:
    """Proof that the tree of size `first` is a prefix of the tree over `hashes`
    (RFC 6962 2.1.2 PROOF / SUBPROOF)."""
    n = len(hashes)
    if not 0 < first <= n:
        raise ValueError("first must be in 1..n")
    return _subproof(hashes, first, 0, n, True)


def _subproof(hashes, m: int, start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [root(hashes[start:end])]
    k = _split(n)
    if m <= k:
        return _subproof(hashes, m, start, start + k, complete) + [root(hashes[start + k : end])]
    return _subproof(hashes, m - k, start + k, end, False) + [root(hashes[start : start + k])]


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root_: bytes) -> bool:
    """RFC 9162 2.1.3.2 verification of an inclusion proof."""
    if index >= size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2 verification of a consistency proof."""
    if first > second or first < 1:
        return False
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:  # first is a power of two
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
