"""Signed tree heads: Ed25519 signatures over (size, root, time), so that anyone holding the
public key can check a root without trusting our database.

The signed message is, byte for byte (docs/trail.md repeats this for outside auditors):

    b"zhigong-trail-head-v1\\n"
    || size       as an 8-byte big-endian unsigned integer
    || root hash  (32 bytes, RFC 6962)
    || signed_at  as an 8-byte big-endian unsigned integer, milliseconds since 1970-01-01 UTC
"""

import base64
import functools
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhigong.trail.actions import current_root
from zhigong.trail.models import TreeHead

HEAD_CONTEXT = b"zhigong-trail-head-v1\n"
ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class SignedHead:
    size: int
    root_hash: bytes
    signed_at: datetime
    signature: bytes

    @property
    def signed_at_ms(self) -> int:
        return to_ms(self.signed_at)

    def message(self) -> bytes:
        return head_message(self.size, self.root_hash, self.signed_at_ms)


def head_message(size: int, root_hash: bytes, signed_at_ms: int) -> bytes:
    return HEAD_CONTEXT + size.to_bytes(8, "big") + root_hash + signed_at_ms.to_bytes(8, "big")


def to_ms(moment: datetime) -> int:
    # Integer arithmetic on the timedelta: float timestamps can be off by one millisecond.
    delta = moment - datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


@functools.lru_cache(maxsize=4)
def _private_key(seed_b64: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed_b64))


def private_key() -> Ed25519PrivateKey:
    return _private_key(settings.TRAIL_KEY)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_bytes() -> bytes:
    """The raw 32-byte Ed25519 public key (RFC 8032), as auditors load it."""
    return public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign(size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    return private_key().sign(head_message(size, root_hash, to_ms(signed_at)))


def signature_is_valid(head: SignedHead | TreeHead) -> bool:
    message = head_message(int(head.size), bytes(head.root_hash), to_ms(head.signed_at))
    try:
        public_key().verify(bytes(head.signature), message)
    except InvalidSignature:
        return False
    return True


def latest_head() -> SignedHead:
    """The signed head of the trail as it stands: the stored one when it already covers the
    current size, else a newly signed and stored one."""
    size, root_hash = current_root()
    stored = head_at(size)
    if stored is not None:
        return stored
    return _store_new_head(size, root_hash)


def head_at(size: int) -> SignedHead | None:
    row = TreeHead.objects.filter(size=size).first()
    return _from_row(row) if row is not None else None


def _store_new_head(size: int, root_hash: bytes) -> SignedHead:
    # Milliseconds are what the signature covers, so the stored time must not carry more.
    now = timezone.now()
    signed_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    head = SignedHead(size, root_hash, signed_at, sign(size, root_hash, signed_at))
    try:
        with transaction.atomic():  # its own transaction (a savepoint inside a caller's)
            TreeHead.objects.create(
                size=size, root_hash=root_hash, signed_at=signed_at, signature=head.signature,
            )
    except IntegrityError:
        # A concurrent caller signed this size first; theirs is as good and is the one stored.
        return head_at(size)
    return head


def _from_row(row: TreeHead) -> SignedHead:
    return SignedHead(int(row.size), bytes(row.root_hash), row.signed_at, bytes(row.signature))
