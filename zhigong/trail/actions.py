"""Appending to the trail. Call record() inside the transaction of the change it records."""

from datetime import datetime, timezone as dt_timezone
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhigong.trail import merkle
from zhigong.trail.canonical import canonical_json
from zhigong.trail.models import Event, TrailState


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
    state = TrailState.objects.select_for_update().get(id=1)
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
    })
    h = merkle.leaf_hash(leaf)
    event = Event.objects.create(
        seq=seq, created_at=now, actor_id=actor_id, verb=verb, object_type=object_type,
        object_id=object_id, leaf=leaf, leaf_hash=h,
    )
    frontier = merkle.append(_split_frontier(state.frontier), state.size, h)
    TrailState.objects.filter(id=1).update(size=seq, frontier=b"".join(frontier))
    return event


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
