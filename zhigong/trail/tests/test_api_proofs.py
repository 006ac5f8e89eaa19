"""An outside auditor's view: fetch the signed head and proofs over the public API and check
them with nothing but the published algorithm (RFC 6962/9162, Ed25519 over the documented
bytes). The verifier below uses hashlib and cryptography only, not zhigong.trail.merkle."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction

from zhigong.trail import record
from zhigong.trail.models import Event

# --- the independent verifier ------------------------------------------------------------------


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def head_is_signed(head: dict) -> bool:
    message = (b"zhigong-trail-head-v1\n" + head["size"].to_bytes(8, "big")
               + bytes.fromhex(head["root_hash"]) + head["signed_at_ms"].to_bytes(8, "big"))
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(head["public_key"]))
    try:
        key.verify(bytes.fromhex(head["signature"]), message)
    except Exception:
        return False
    return True


def inclusion_root(leaf_hash: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            r = sha256(b"\x01" + r + p)
        fn, sn = fn // 2, sn // 2
    return r if sn == 0 else None


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn // 2, sn // 2
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = sha256(b"\x01" + c + fr), sha256(b"\x01" + c + sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            sr = sha256(b"\x01" + sr + c)
        fn, sn = fn // 2, sn // 2
    return sn == 0 and fr == first_root and sr == second_root


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def events(world):
    """The world's own events plus enough more for a tree of a few levels."""
    for i in range(37):
        with transaction.atomic():
            record(world.cadre_a, "test.thing", world.enterprise_a, {"i": i, "note": "厂务公开"})
    return list(Event.objects.order_by("seq"))


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_an_outsider_can_check_heads_and_proofs(client, login, world, events):
    head = get_json(client, "/api/v1/trail/head")  # anonymous: heads are public
    assert head["size"] == len(events)
    assert head_is_signed(head)
    assert base64.b64decode(head["public_key_base64"]).hex() == head["public_key"]
    forged = dict(head, root_hash=sha256(b"other").hex())
    assert not head_is_signed(forged)

    admin = login(world.admin)  # leaf bytes are for admins only; the proofs are not
    for event in (events[0], events[1], events[len(events) // 2], events[-1]):
        leaf = base64.b64decode(get_json(admin, f"/api/v1/trail/events/{event.pk}/leaf")["leaf_base64"])
        assert json.loads(leaf)["seq"] == event.seq
        proof = get_json(client, f"/api/v1/trail/events/{event.pk}/proof")
        leaf_hash = sha256(b"\x00" + leaf)  # computed here, not taken from the server
        assert proof["leaf_hash"] == leaf_hash.hex()
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
        assert proof["tree_size"] == head["size"]
        assert inclusion_root(leaf_hash, proof["leaf_index"], head["size"], path) == bytes.fromhex(head["root_hash"])
        # The same path for another leaf does not lead to the signed root.
        other = sha256(b"\x00x")
        assert inclusion_root(other, proof["leaf_index"], head["size"], path) != bytes.fromhex(head["root_hash"])


def test_proofs_against_an_older_head_and_consistency_between_heads(client, world, events):
    older = get_json(client, "/api/v1/trail/head")
    with transaction.atomic():
        for i in range(5):
            record(None, "test.later", ("test.thing", i), {})
    newer = get_json(client, "/api/v1/trail/head")
    assert newer["size"] == older["size"] + 5 and head_is_signed(newer)

    proof = get_json(client, f"/api/v1/trail/events/{events[3].pk}/proof?size={older['size']}")
    assert proof["head"] == older  # the stored head of that size comes with the proof
    leaf_hash = bytes.fromhex(proof["leaf_hash"])
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert inclusion_root(leaf_hash, events[3].seq - 1, older["size"], path) == bytes.fromhex(older["root_hash"])

    url = f"/api/v1/trail/consistency?first={older['size']}&second={newer['size']}"
    answer = get_json(client, url)
    assert answer["first_head"] == older and answer["second_head"] == newer
    old_root, new_root = bytes.fromhex(older["root_hash"]), bytes.fromhex(newer["root_hash"])
    steps = [bytes.fromhex(h) for h in answer["proof"]]
    assert consistent(older["size"], newer["size"], old_root, new_root, steps)
    assert not consistent(older["size"], newer["size"], sha256(b"rewritten history"), new_root, steps)


@pytest.mark.parametrize("url, status, code", [
    ("/api/v1/trail/consistency?first=9&second=3", 400, "trail.first_after_second"),
    ("/api/v1/trail/consistency?first=3&second=100000", 400, "trail.size_out_of_range"),
    ("/api/v1/trail/consistency?first=0&second=3", 422, "validation"),
    ("/api/v1/trail/consistency?first=a&second=3", 422, "validation"),
    ("/api/v1/trail/events/999999/proof", 404, "not_found"),
    ("/api/v1/trail/events/99999999999999999999/proof", 422, "validation"),
    ("/api/v1/trail/events/{event}/proof?size=2", 400, "trail.size_before_event"),
    ("/api/v1/trail/events/{event}/proof?size=100000", 400, "trail.size_out_of_range"),
])
def test_bad_input_gets_a_chinese_4xx(client, events, url, status, code):
    body = get_json(client, url.format(event=events[10].pk), status)
    assert body["code"] == code
    assert set(body) == {"code", "message", "details"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_leaf_contents_are_not_public(client, login, world, events):
    url = f"/api/v1/trail/events/{events[0].pk}/leaf"
    assert client.get(url).status_code == 401
    for user in (world.cadre_a, world.worker, world.auditor, world.outsider):
        assert login(user).get(url).status_code == 404
    proof = get_json(client, f"/api/v1/trail/events/{events[0].pk}/proof")
    assert set(proof) == {"event_id", "seq", "leaf_index", "tree_size", "leaf_hash", "audit_path",
                          "root_hash", "head"}


def test_a_platform_wide_auditor_reads_leaves(login, world, events):
    from zhigong.core import actions
    from zhigong.core.models import Role

    actions.grant_role(world.admin, world.auditor, Role.AUDITOR, None)
    body = get_json(login(world.auditor), f"/api/v1/trail/events/{events[0].pk}/leaf")
    assert bytes.fromhex(body["leaf_hash"]) == sha256(b"\x00" + base64.b64decode(body["leaf_base64"]))


def test_openapi_documents_the_trail(client):
    schema = get_json(client, "/api/v1/openapi.json")
    proof = schema["paths"]["/api/v1/trail/events/{event_id}/proof"]["get"]
    assert "security" not in proof or proof["security"] == []
    assert {"200", "400", "404", "422"} <= set(proof["responses"])
    head = schema["components"]["schemas"]["HeadOut"]
    assert head["properties"]["root_hash"]["examples"]


def test_the_snippet_in_the_docs_checks_real_proofs(client, events):
    """docs/trail.md tells auditors how to check proofs; its code must be right."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "trail.md").read_text()
    code = doc.split("```python\n", 1)[1].split('head = get("/head")', 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # the definitions only; requests go through the test client instead
    head = get_json(client, "/api/v1/trail/head")
    namespace["TRUSTED_KEY"] = head["public_key"]
    namespace["check_head"](head)
    proof = get_json(client, f"/api/v1/trail/events/{events[5].pk}/proof")
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    root = namespace["root_from_path"](bytes.fromhex(proof["leaf_hash"]), proof["leaf_index"], head["size"], path)
    assert root == bytes.fromhex(head["root_hash"])
    answer = get_json(client, f"/api/v1/trail/consistency?first=7&second={head['size']}")
    first_root = bytes.fromhex(answer["first_root"])
    steps = [bytes.fromhex(h) for h in answer["proof"]]
    assert namespace["consistent"](7, head["size"], first_root, bytes.fromhex(head["root_hash"]), steps)
    assert not namespace["consistent"](7, head["size"], sha256(b"x"), bytes.fromhex(head["root_hash"]), steps)
