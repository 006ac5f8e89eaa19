"""Trail API, /api/v1/trail. Heads and proofs are public (auth=None): they are made for outside
auditors and carry hashes only. Leaf contents can name people, so /events/{id}/leaf needs a
login and the policy's say (platform admins and platform-wide auditors)."""

from ninja import Field, Path, Query, Router, Schema

from zhigong.trail import queries
from zhigong.trail.heads import latest_head

router = Router(tags=["trail"])

BIGINT = 2**63 - 1  # larger ids cannot be in the database; refuse them as input, not crash
HASH = "3f8c2a6d0b5e47c1a9d2e8f40716b3c5d9e2a1f08c7b6d5e4f3a2b1c0d9e8f7a"
ERROR_STATUSES = (400, 404, 409, 422)


class ErrorOut(Schema):
    code: str = Field(examples=["trail.size_before_event"])
    message: str = Field(examples=["树的大小 3 小于该事件的序号 5，该事件尚不在这棵树中。"])
    details: dict = Field(examples=[{"field": "size", "size": 3, "seq": 5}])


class HeadOut(Schema):
    """A signed tree head. The signature is Ed25519 over b"zhigong-trail-head-v1\\n" ||
    size (8 bytes, big-endian) || root_hash (32 bytes) || signed_at_ms (8 bytes, big-endian)."""

    size: int = Field(description="number of events in the tree", examples=[1024])
    root_hash: str = Field(description="RFC 6962 root, hex", examples=[HASH])
    signed_at: str = Field(examples=["2026-11-23T08:30:00.123Z"])
    signed_at_ms: int = Field(description="milliseconds since 1970-01-01 UTC", examples=[1795422600123])
    signature: str = Field(description="Ed25519 signature, hex (64 bytes)", examples=["9a" * 64])
    algorithm: str = Field(examples=["Ed25519"])
    public_key: str = Field(description="raw 32-byte Ed25519 public key, hex", examples=["5c" * 32])
    public_key_base64: str = Field(examples=["XFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFw="])


class InclusionOut(Schema):
    event_id: int = Field(examples=[42])
    seq: int = Field(description="position in the trail, from 1", examples=[40])
    leaf_index: int = Field(description="seq - 1, the RFC 6962 leaf index", examples=[39])
    tree_size: int = Field(examples=[1024])
    leaf_hash: str = Field(description="SHA-256(0x00 || leaf), hex", examples=[HASH])
    audit_path: list[str] = Field(description="RFC 6962 audit path, hex, leaf level first",
                                  examples=[[HASH, HASH]])
    root_hash: str = Field(description="the root the path leads to, hex", examples=[HASH])
    head: HeadOut | None = Field(description="the signed head of this size, if one was signed")


class ConsistencyOut(Schema):
    first: int = Field(examples=[512])
    second: int = Field(examples=[1024])
    first_root: str = Field(examples=[HASH])
    second_root: str = Field(examples=[HASH])
    proof: list[str] = Field(description="RFC 6962 consistency proof, hex", examples=[[HASH]])
    first_head: HeadOut | None = None
    second_head: HeadOut | None = None


class LeafOut(Schema):
    event_id: int = Field(examples=[42])
    seq: int = Field(examples=[40])
    leaf: str = Field(description="the canonical JSON leaf as text",
                      examples=['{"actor":1,"at":"2026-11-23T08:30:00.123456Z","data":{},'
                                '"object":"core.person:7","salt":"9f…","seq":40,"verb":"person.update"}'])
    leaf_base64: str = Field(description="the exact leaf bytes that are hashed")
    leaf_hash: str = Field(examples=[HASH])


def _responses(ok: type) -> dict:
    return {200: ok, **{status: ErrorOut for status in ERROR_STATUSES}}


@router.get("/head", auth=None, response=_responses(HeadOut), summary="Signed tree head")
def head(request):
    return queries.head_payload(latest_head())


@router.get("/events/{event_id}/proof", auth=None, response=_responses(InclusionOut),
            summary="Inclusion proof of an event")
def event_proof(request, event_id: int = Path(..., ge=1, le=BIGINT),
                size: int | None = Query(None, ge=1, le=BIGINT,
                                         description="tree size; default: the latest signed head")):
    return queries.inclusion(event_id, size)


@router.get("/consistency", auth=None, response=_responses(ConsistencyOut),
            summary="Consistency proof between two tree sizes")
def consistency(request, first: int = Query(..., ge=1, le=BIGINT),
                second: int = Query(..., ge=1, le=BIGINT)):
    return queries.consistency(first, second)


@router.get("/events/{event_id}/leaf", response=_responses(LeafOut) | {401: ErrorOut},
            summary="Leaf bytes of an event (platform admins and auditors)")
def event_leaf(request, event_id: int = Path(..., ge=1, le=BIGINT)):
    return queries.event_leaf(request.user, event_id)
