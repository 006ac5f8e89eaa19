"""Reads of the trail: leaf hashes, inclusion and consistency proofs (public: they reveal
hashes only), and leaf contents (not public: a leaf may hold personal facts)."""

import base64
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from zhigong.core import policy
from zhigong.core.errors import DomainError, NotFound
from zhigong.core.models import Role
from zhigong.trail import merkle
from zhigong.trail.actions import current_root
from zhigong.trail.heads import SignedHead, head_at, latest_head, public_key_bytes
from zhigong.trail.models import Block, Event

CHUNK = 50_000
EVENT_TABLE = Event._meta.db_table


class TrailDamaged(DomainError):
    """The stored trail is not what the proofs need (rows missing); `zhigong trail verify`
    tells which. Not the caller's fault, but not a crash either."""

    status = 409


def leaf_hashes(size: int) -> list[bytes]:
    """Stored leaf hashes of events 1..size in sequence order."""
    return _leaf_hashes_between(1, size)


def _leaf_hashes_between(first: int, last: int) -> list[bytes]:
    """Stored leaf hashes of events first..last. A plain cursor with fetchmany: a million
    32-byte values without a model instance, or even a Django row, per event."""
    hashes: list[bytes] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT leaf_hash FROM {EVENT_TABLE} WHERE seq >= %s AND seq <= %s ORDER BY seq",
            [first, last],
        )
        while rows := cursor.fetchmany(CHUNK):
            hashes.extend(bytes(row[0]) for row in rows)
    if len(hashes) != last - first + 1:
        raise TrailDamaged(
            "trail.damaged", _("留痕记录不完整，无法生成证明；请运行留痕校验。"),
            first=first, last=last, found=len(hashes),
        )
    return hashes


def tree_size() -> int:
    return current_root()[0]


class StoredTree:
    """Subtree roots of the stored tree of `size` events, from the stored block roots where a
    subtree spans whole blocks and from leaf hashes (a block's worth, fetched on demand) where
    it does not. A proof at a million events reads about a thousand block roots and two or
    three blocks of leaf hashes, not a million rows."""

    def __init__(self, size: int) -> None:
        self.size = size
        whole = size // merkle.BLOCK_SIZE
        self.blocks = dict(
            Block.objects.filter(index__lt=whole).values_list("index", "root_hash"),
        )
        self._leaves: dict[int, list[bytes]] = {}

    def subroot(self, start: int, end: int) -> bytes:
        return merkle.fold([self._piece(at, width) for at, width in merkle.aligned_pieces(start, end)])

    def leaf_hash(self, index: int) -> bytes:
        return self._block_leaves(index // merkle.BLOCK_SIZE)[index % merkle.BLOCK_SIZE]

    def _piece(self, start: int, width: int) -> bytes:
        if width >= merkle.BLOCK_SIZE:
            first = start // merkle.BLOCK_SIZE
            return merkle.root([self._block_root(b) for b in range(first, first + width // merkle.BLOCK_SIZE)])
        offset = start % merkle.BLOCK_SIZE
        return merkle.root(self._block_leaves(start // merkle.BLOCK_SIZE)[offset : offset + width])

    def _block_root(self, block: int) -> bytes:
        stored = self.blocks.get(block)
        if stored is None:  # not written (yet): the block's leaves give it
            return merkle.root(self._block_leaves(block))
        return bytes(stored)

    def _block_leaves(self, block: int) -> list[bytes]:
        if block not in self._leaves:
            first = block * merkle.BLOCK_SIZE
            last = min(first + merkle.BLOCK_SIZE, self.size)
            self._leaves[block] = _leaf_hashes_between(first + 1, last)
        return self._leaves[block]


def _check_size(size: int, field: str) -> None:
    current = tree_size()
    if not 1 <= size <= current:
        raise DomainError(
            "trail.size_out_of_range",
            _("树的大小应在 1 到 %(current)s 之间。") % {"current": current},
            field=field, size=size, current_size=current,
        )


def _event(event_id: int) -> dict[str, Any]:
    row = Event.objects.filter(pk=event_id).values("id", "seq").first()
    if row is None:
        raise NotFound("event")
    return row


def inclusion(event_id: int, size: int | None = None) -> dict[str, Any]:
    """Inclusion proof of an event in the tree of `size` events (default: the latest signed
    head), with the signed head of that size when there is one."""
    event = _event(event_id)
    head = latest_head() if size is None else None
    size = head.size if head is not None else size
    if size < event["seq"]:
        raise DomainError(
            "trail.size_before_event",
            _("树的大小 %(size)s 小于该事件的序号 %(seq)s，该事件尚不在这棵树中。")
            % {"size": size, "seq": event["seq"]},
            field="size", size=size, seq=event["seq"],
        )
    _check_size(size, "size")
    index = event["seq"] - 1
    tree = StoredTree(size)
    path = merkle.inclusion_path(index, size, tree.subroot)
    leaf_hash = tree.leaf_hash(index)
    # The path and the leaf determine the root; no need to hash the whole tree once more.
    root_hash = merkle.root_from_inclusion(leaf_hash, index, size, path)
    return {
        "event_id": event["id"],
        "seq": event["seq"],
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": leaf_hash.hex(),
        "audit_path": [h.hex() for h in path],
        "root_hash": root_hash.hex(),
        "head": head_payload(head or head_at(size)),
    }


def consistency(first: int, second: int) -> dict[str, Any]:
    """Proof that the tree of `first` events is a prefix of the tree of `second` events."""
    if first > second:
        raise DomainError(
            "trail.first_after_second",
            _("第一个树的大小不能大于第二个。"), field="first", first=first, second=second,
        )
    _check_size(first, "first")
    _check_size(second, "second")
    tree = StoredTree(second)
    return {
        "first": first,
        "second": second,
        "first_root": tree.subroot(0, first).hex(),
        "second_root": tree.subroot(0, second).hex(),
        "proof": [h.hex() for h in merkle.consistency_path(first, second, tree.subroot)],
        "first_head": head_payload(head_at(first)),
        "second_head": head_payload(head_at(second)),
    }


def head_payload(head: SignedHead | None) -> dict[str, Any] | None:
    if head is None:
        return None
    key = public_key_bytes()
    return {
        "size": head.size,
        "root_hash": head.root_hash.hex(),
        "signed_at": head.signed_at.isoformat().replace("+00:00", "Z"),
        "signed_at_ms": head.signed_at_ms,
        "signature": head.signature.hex(),
        "algorithm": "Ed25519",
        "public_key": key.hex(),
        "public_key_base64": _b64(key),
    }


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# --- Leaf contents: not public ---------------------------------------------------------------

def may_read_leaves(user) -> bool:
    """Leaves can name people and what happened to them; only platform admins and auditors
    over the whole platform (a grant without an organization) may read them."""
    if policy.is_platform_admin(user):
        return True
    return any(s.role == Role.AUDITOR and s.organization_id == 0 for s in policy.grants(user))


def event_leaf(user, event_id: int) -> dict[str, Any]:
    """The stored leaf bytes of an event, for an auditor recomputing its leaf hash. Others get
    404, as for anything that is not theirs to see."""
    if not may_read_leaves(user):
        raise NotFound("event")
    row = Event.objects.filter(pk=event_id).values("id", "seq", "leaf", "leaf_hash").first()
    if row is None:
        raise NotFound("event")
    leaf = bytes(row["leaf"])
    return {
        "event_id": row["id"],
        "seq": row["seq"],
        "leaf": leaf.decode("utf-8", errors="replace"),
        "leaf_base64": _b64(leaf),
        "leaf_hash": bytes(row["leaf_hash"]).hex(),
    }
