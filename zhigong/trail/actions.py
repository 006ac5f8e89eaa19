"""Appending to the trail. Call record() inside the transaction of the change it records."""

import secrets
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhigong.trail import merkle
from zhigong.trail.canonical import canonical_json
from zhigong.trail.models import Block, Event, TrailState


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return str(obj[0]), str(obj[1])
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)


def _split_frontier(blob: bytes) -> list[bytes]:
    blob = bytes(blob)
    return [blob[i : i + 32] for i in range(0, len(blob), 32)]


def record(actor: Any, verb: str, obj: Any, data: dict | None = None, *, day_only: bool = False) -> Event:
    """Append one event. `actor` is a user (or None for anonymous channels: nothing naming the
    sender is recorded). `obj` is a model instance or a (type, id) pair. With day_only the
    time is rounded down to the day (Asia/Shanghai), for channels that must not be linkable
    by timing."""
    if not connection.in_atomic_block:
        raise RuntimeError("trail.record must run inside the transaction of the change")
    state = _locked_state()
    now = timezone.now()
    if day_only:
        local = timezone.localtime(now)
        now = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt_timezone.utc)
    object_type, object_id = _object_ref(obj)
    actor_id = getattr(actor, "pk", None)
    seq = state.size + 1
    leaf = canonical_json({
        "seq": seq,
        "at": now.astimezone(dt_timezone.utc).isoformat().replace("+00:00", "Z"),
        "actor": actor_id,
        "verb": verb,
        "object": f"{object_type}:{object_id}",
        "data": data or {},
        # Leaf hashes are public (proofs); without a random salt, a leaf with few unknowns
        # (an anonymous suggestion rounded to the day) could be confirmed by guessing it.
        "salt": secrets.token_hex(16),
    })
    h = merkle.leaf_hash(leaf)
    event = Event.objects.create(
        seq=seq, created_at=now, actor_id=actor_id, verb=verb, object_type=object_type,
        object_id=object_id, leaf=leaf, leaf_hash=h,
    )
    completed: list[bytes] = []
    frontier = merkle.extend(_split_frontier(state.frontier), state.size, [h], completed)
    TrailState.objects.filter(id=1).update(size=seq, frontier=b"".join(frontier))
    if completed:  # this event closes a run of BLOCK_SIZE events
        Block.objects.update_or_create(
            index=seq // merkle.BLOCK_SIZE - 1, defaults={"root_hash": completed[0]},
        )
    return event


def _locked_state() -> TrailState:
    """The state row, locked FOR UPDATE: the lock serialises appends, so sequence numbers are
    handed out gap-free in commit order. The row comes from a data migration; a flushed
    database (tests, `flush`) has lost it, so the first append creates it again."""
    state = TrailState.objects.select_for_update().filter(id=1).first()
    if state is None:
        try:
            with transaction.atomic():
                TrailState.objects.create(id=1)
        except IntegrityError:
            pass  # another writer created it first; its row is what we lock below
        state = TrailState.objects.select_for_update().get(id=1)
    return state


def current_root() -> tuple[int, bytes]:
    state = TrailState.objects.filter(id=1).first()
    if state is None:
        return 0, merkle.EMPTY_ROOT
    return state.size, merkle.fold(_split_frontier(state.frontier))


def in_transaction_record(*args: Any, **kwargs: Any) -> Event:
    """record() in a transaction of its own, for events that are not part of a change (an
    unmasked view of personal data, a login)."""
    with transaction.atomic():
        return record(*args, **kwargs)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
