"""Events written straight to the tables, exactly as record() would have left them (block
roots, state row, heads), for tests that need more events than record() makes quickly."""

from datetime import UTC, datetime

from zhigong.trail import merkle
from zhigong.trail.canonical import canonical_json
from zhigong.trail.heads import sign
from zhigong.trail.models import Block, Event, TrailState, TreeHead

AT = datetime(2026, 1, 1, tzinfo=UTC)


def leaves(n: int) -> list[bytes]:
    return [canonical_json({"actor": None, "at": "2026-01-01T00:00:00Z", "data": {"i": seq},
                            "object": "test.thing:1", "salt": "%032x" % seq, "seq": seq,
                            "verb": "test.bulk"}) for seq in range(1, n + 1)]


def bulk_trail(n: int, head_sizes: tuple[int, ...] = ()) -> list[bytes]:
    """Replace the trail by n events; returns their leaf hashes."""
    Event.objects.all().delete()
    TreeHead.objects.all().delete()
    Block.objects.all().delete()
    content = leaves(n)
    hashes = merkle.leaf_hashes(content)
    Event.objects.bulk_create(
        [Event(seq=i + 1, created_at=AT, verb="test.bulk", object_type="test.thing", object_id="1",
               leaf=content[i], leaf_hash=hashes[i]) for i in range(n)], batch_size=500,
    )
    roots: list[bytes] = []
    frontier = merkle.extend([], 0, hashes, roots)
    Block.objects.bulk_create([Block(index=i, root_hash=r) for i, r in enumerate(roots)])
    TrailState.objects.update_or_create(id=1, defaults={"size": n, "frontier": b"".join(frontier)})
    for size in head_sizes:
        root = merkle.root(hashes[:size])
        TreeHead.objects.create(size=size, root_hash=root, signed_at=AT, signature=sign(size, root, AT))
    return hashes
