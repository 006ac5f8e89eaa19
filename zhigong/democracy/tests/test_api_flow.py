"""A whole session through the API: convene, check in, open, vote, close, bulletin, resolution
with its proof checked against the signed head."""

import json
from hashlib import sha256

from zhigong.core import actions as core
from zhigong.democracy import ballots


def api(client, user):
    token = core.issue_token(user, "t")[1]

    def call(method, path, body=None):
        response = client.generic(method, "/api/v1/congress" + path, data=json.dumps(body or {}),
                                  content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        return response
    return call


def test_session_through_the_api(cw, client):
    chair = api(client, cw.chair)
    item = chair("POST", f"/sessions/{cw.session.pk}/items",
                 {"title": "职工福利基金使用方案", "kind": "approve", "matter": "welfare_fund"})
    assert item.status_code == 201 and item.json()["secret"] is True
    item_id = item.json()["id"]
    convened = chair("POST", f"/sessions/{cw.session.pk}/convene").json()
    code = convened["check_in_code"]
    assert len(code) == 6
    voters = [api(client, u) for u in cw.users[:30]]
    for v in voters:
        assert v("POST", f"/sessions/{cw.session.pk}/check-in", {"code": code}).status_code == 201
    assert voters[0]("GET", f"/sessions/{cw.session.pk}").json()["check_in_code"] is None
    opened = chair("POST", f"/sessions/{cw.session.pk}/open").json()
    assert opened["status"] == "open" and opened["attendance"]["present"] == 30
    assert chair("POST", f"/items/{item_id}/open").json()["status"] == "voting"
    receipts = []
    for n, v in enumerate(voters):
        salt = ballots.new_salt()
        round_id = None
        content = {"choice": "yes" if n < 22 else "no"}
        first = v("POST", f"/items/{item_id}/ballots", {"content": content, "commitment": "0" * 63 + "g"})
        assert first.status_code == 400 and first.json()["code"] == "ballot.commitment"
        live = v("GET", f"/items/{item_id}/live").json()
        assert live["result"] is None
        round_id = item_round(item_id)
        commitment = ballots.commitment_for(round_id, content, salt)
        cast = v("POST", f"/items/{item_id}/ballots", {"content": content, "commitment": commitment})
        assert cast.status_code == 201, cast.content
        receipts.append((cast.json()["receipt"], content))
    again = voters[0]("POST", f"/items/{item_id}/ballots", {"content": {"choice": "no"}})
    assert again.status_code == 400 and again.json()["code"] == "ballot.already_cast"
    closed = chair("POST", f"/items/{item_id}/close").json()
    assert closed["result"]["yes"] == 22 and closed["result"]["passed"] is True
    board = voters[5]("GET", f"/items/{item_id}/bulletin").json()[0]
    published = {e["receipt"]: e["content"] for e in board["entries"]}
    assert all(published[r] == c for r, c in receipts)
    resolutions = voters[5]("GET", "/resolutions").json()
    detail = voters[5]("GET", f"/resolutions/{resolutions[0]['id']}").json()
    proof = detail["proof"]
    # Check the audit path with hashlib only.
    node = bytes.fromhex(proof["leaf_hash"])
    index, size = proof["leaf_index"], proof["tree_size"]
    fn, sn = index, size - 1
    for sibling in map(bytes.fromhex, proof["audit_path"]):
        if fn & 1 or fn == sn:
            node = sha256(b"\x01" + sibling + node).digest()
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = sha256(b"\x01" + node + sibling).digest()
        fn, sn = fn >> 1, sn >> 1
    assert node.hex() == proof["root_hash"] == proof["head"]["root_hash"]


def item_round(item_id):
    from zhigong.democracy.models import VotingRound

    return VotingRound.objects.filter(item_id=item_id, closed_at__isnull=True).values_list("pk", flat=True).get()


def test_a_committee_member_id_beyond_64_bits_is_a_422_naming_it(cw, client):
    """Found by the fuzzer (test_api_fuzz): a delegate id of 26 digits reached the database
    (filter pk__in) and answered 500."""
    response = api(client, cw.chair)("POST", f"/terms/{cw.term.pk}/committees", {
        "kind": "proposal", "name": "提案工作委员会", "delegate_ids": [cw.delegates[0].pk, 9376307734289034889920512]})
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation"
    assert [f["path"] for f in response.json()["details"]["fields"]] == ["delegate_ids.1"]
    assert not cw.term.committees.exists()


def test_a_session_time_with_an_offset_no_place_has_is_a_422_naming_it(cw, client):
    """Found by the fuzzer (test_api_fuzz) on PostgreSQL, which takes offsets below 16 hours:
    starts_at 2000-01-01T00:00:00+18:15 answered 500 there."""
    sessions = cw.term.sessions.count()
    for starts_at in ("2000-01-01T00:00:00+18:15", "0001-01-01T00:00:00+08:00"):
        response = api(client, cw.chair)("POST", f"/terms/{cw.term.pk}/sessions", {"starts_at": starts_at})
        assert response.status_code == 422, (starts_at, response.content)
        assert [f["path"] for f in response.json()["details"]["fields"]] == ["starts_at"]
    assert cw.term.sessions.count() == sessions
