"""Each step of a tracking page carries an inclusion proof that checks, with nothing but
SHA-256 and Ed25519 (a verifier sharing no code with the server), against the signed tree
head; the leaf of a progress step hashes to the proof's leaf and names the note's digest."""

import hashlib
import json
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from zhigong.tracking import actions, queries
from zhigong.tracking.tests.conftest import answered, measures


def H(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def root_from_path(leaf_hash: bytes, index: int, size: int, path: list[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2, as an outside auditor writes it (docs/trail.md)."""
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        assert sn > 0
        if fn & 1 or fn == sn:
            r = H(b"\x01" + p + r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = H(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    assert sn == 0
    return r


def head_is_signed(head: dict) -> bool:
    message = (b"zhigong-trail-head-v1\n" + head["size"].to_bytes(8, "big") + bytes.fromhex(head["root_hash"])
               + head["signed_at_ms"].to_bytes(8, "big"))
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(head["public_key"])).verify(
            bytes.fromhex(head["signature"]), message)
    except InvalidSignature:
        return False
    return True


def proves(proof: dict, leaf_hash: bytes) -> bool:
    head = proof["head"]
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    return (head_is_signed(head) and proof["tree_size"] == head["size"]
            and root_from_path(leaf_hash, proof["leaf_index"], head["size"], path) == bytes.fromhex(head["root_hash"]))


def test_every_step_proves_against_the_signed_head(tw):
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    entry = actions.report_progress(tw.chair, m, 60, "灶台改造过半。")
    tracking = queries.resolution_tracking(tw.passed)
    verbs = [s.verb for s in tracking.steps]
    assert verbs[0] == "congress.item.advise" and "tracking.plan" in verbs and verbs[-1] == "tracking.progress"
    for step in tracking.steps:
        assert proves(step.proof, bytes.fromhex(step.proof["leaf_hash"])), step.verb
    step = tracking.steps[-1]
    leaf = step.leaf.encode()
    assert H(b"\x00" + leaf).hex() == step.proof["leaf_hash"]
    data = json.loads(leaf)["data"]
    assert data["percent"] == 60 and data["note_sha256"] == hashlib.sha256(entry.note.encode()).hexdigest()
    assert step.entries == [entry]
    # The vote step gives the proof, not the leaf: congress events stay with the auditors.
    assert tracking.steps[0].leaf is None


def test_a_changed_leaf_or_a_forged_head_does_not_prove(tw):
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    actions.report_progress(tw.chair, m, 60, "灶台改造过半。")
    step = queries.resolution_tracking(tw.passed).steps[-1]
    forged_leaf = step.leaf.replace('"percent":60', '"percent":90').encode()
    assert forged_leaf != step.leaf.encode()
    assert not proves(step.proof, H(b"\x00" + forged_leaf))
    forged = {**step.proof, "head": {**step.proof["head"], "size": step.proof["head"]["size"] + 1}}
    assert not head_is_signed(forged["head"])


def test_proposal_steps_prove_too(tw, world):
    proposal = answered(tw, "关于提高高温津贴标准的提案", progress=50)
    tracking = queries.proposal_tracking(queries.access_proposal(world.enterprise_admin, proposal.pk))
    assert [s.verb for s in tracking.steps] == ["proposal.submit", "proposal.accept", "proposal.assign",
                                                "proposal.answer", "proposal.report_progress"]
    assert all(proves(s.proof, bytes.fromhex(s.proof["leaf_hash"])) for s in tracking.steps)
    assert tracking.steps[-1].entries[0].percent == 50
