"""The ballot endpoint's contract, whichever code serves it (democracy/api_ballot.py answers the
hot path by hand, ninja the rest): what a delegate's phone sends and gets back, every refusal
with its code and field, CSRF for browser sessions, and its place in the OpenAPI schema."""

import json

import pytest
from django.test import Client

from zhigong.core import actions as core
from zhigong.democracy import actions, ballots
from zhigong.democracy.models import SecretBallot, VoterRoll
from zhigong.democracy.tests.conftest import start

PATH = "/api/v1/congress/items/{}/ballots"


@pytest.fixture
def vote(cw):
    """A secret approve item open for voting, 30 of 40 delegates checked in."""
    start(cw, present=30, items=[("职工福利基金使用方案", "approve", {"matter": "welfare_fund"})])
    item = cw.session.items.get()
    voting_round = actions.open_voting(cw.chair, item)
    return cw, item, voting_round


def post(client, item_id, body, token=None, content_type="application/json", **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.generic("POST", PATH.format(item_id), data=data, content_type=content_type, **headers)


def token_of(user):
    return core.issue_token(user, "phone")[1]


def stored(voting_round):
    return VoterRoll.objects.filter(round=voting_round).count(), SecretBallot.objects.filter(round=voting_round).count()


def test_a_ballot_with_the_phones_commitment(vote, client):
    cw, item, voting_round = vote
    salt = ballots.new_salt()
    commitment = ballots.commitment_for(voting_round.pk, {"choice": "yes"}, salt)
    response = post(client, item.pk, {"content": {"choice": "yes"}, "commitment": commitment}, token_of(cw.users[0]))
    assert response.status_code == 201 and response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"receipt": ballots.rules.receipt_code(commitment), "commitment": commitment,
                               "salt": None, "round": voting_round.pk}
    assert stored(voting_round) == (1, 1)


@pytest.mark.parametrize("extra", [{}, {"commitment": None}, {"note": "ignored"}])
def test_without_a_commitment_the_server_makes_the_salt(vote, client, extra):
    cw, item, voting_round = vote
    response = post(client, item.pk, {"content": {"choice": "no"}, **extra}, token_of(cw.users[1]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["salt"]) > 10
    assert body["commitment"] == ballots.commitment_for(voting_round.pk, {"choice": "no"}, body["salt"])


@pytest.mark.parametrize(("body", "paths"), [
    ({}, ["content"]),
    ({"content": "yes"}, ["content"]),
    ({"content": ["yes"]}, ["content"]),
    ({"content": None}, ["content"]),
    ({"content": {"choice": "yes"}, "commitment": 5}, ["commitment"]),
    ({"content": 1, "commitment": []}, ["content", "commitment"]),
])
def test_bad_shapes_are_422_with_the_field_path(vote, client, body, paths):
    cw, item, voting_round = vote
    response = post(client, item.pk, body, token_of(cw.users[2]))
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == "validation" and answer["message"]
    assert [f["path"] for f in answer["details"]["fields"]] == paths
    assert all(f["message"] and f["type"] for f in answer["details"]["fields"])
    assert stored(voting_round) == (0, 0)


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", "", '"text"', "[1, 2]"])
def test_a_body_that_is_not_an_object_is_refused_without_a_500(vote, client, raw):
    cw, item, voting_round = vote
    response = post(client, item.pk, raw, token_of(cw.users[3]))
    assert response.status_code in (400, 422), response.content
    answer = response.json()
    assert set(answer) == {"code", "message", "details"}
    assert stored(voting_round) == (0, 0)


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"content": {"choice": "maybe"}}, "ballot.choice", "content"),
    ({"content": {"choice": "yes"}, "commitment": "0" * 63 + "g"}, "ballot.commitment", "commitment"),
])
def test_domain_refusals_name_the_code_and_field(vote, client, body, code, field):
    cw, item, voting_round = vote
    response = post(client, item.pk, body, token_of(cw.users[4]))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["details"]["field"] == field
    assert stored(voting_round) == (0, 0)


def test_a_second_ballot_is_refused(vote, client):
    cw, item, voting_round = vote
    token = token_of(cw.users[5])
    assert post(client, item.pk, {"content": {"choice": "yes"}}, token).status_code == 201
    again = post(client, item.pk, {"content": {"choice": "no"}}, token)
    assert again.status_code == 400 and again.json()["code"] == "ballot.already_cast"
    assert stored(voting_round) == (1, 1)


def test_absent_delegate_is_told_to_check_in(vote, client):
    cw, item, voting_round = vote
    response = post(client, item.pk, {"content": {"choice": "yes"}}, token_of(cw.users[35]))
    assert response.status_code == 400 and response.json()["code"] == "ballot.not_checked_in"


@pytest.mark.parametrize("who", ["outsider", "missing item", "number out of range"])
def test_outsiders_and_unknown_items_get_404(vote, client, world, who):
    cw, item, voting_round = vote
    missing = {"outsider": item.pk, "missing item": item.pk + 1000, "number out of range": 10**20}[who]
    user, item_id = (world.outsider, item.pk) if who == "outsider" else (cw.users[6], missing)
    response = post(client, item_id, {"content": {"choice": "yes"}}, token_of(user))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert stored(voting_round) == (0, 0)


@pytest.mark.parametrize("authorization", [None, "Bearer nonsense", "Token abc", "Bearer"])
def test_without_a_valid_token_or_login_401(vote, client, authorization):
    cw, item, voting_round = vote
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = post(client, item.pk, {"content": {"choice": "yes"}}, **headers)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert stored(voting_round) == (0, 0)


def test_a_logged_in_browser_needs_the_csrf_token(vote):
    cw, item, voting_round = vote
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cw.users[7])
    refused = post(browser, item.pk, {"content": {"choice": "yes"}})
    assert refused.status_code == 403 and stored(voting_round) == (0, 0)
    browser.get("/congress/")  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = post(browser, item.pk, {"content": {"choice": "yes"}}, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content
    assert stored(voting_round) == (1, 1)


def test_a_token_client_needs_no_csrf_token(vote):
    cw, item, voting_round = vote
    phone = Client(enforce_csrf_checks=True)
    response = post(phone, item.pk, {"content": {"choice": "yes"}}, token_of(cw.users[8]))
    assert response.status_code == 201


def test_only_post(vote, client):
    cw, item, voting_round = vote
    response = client.get(PATH.format(item.pk), HTTP_AUTHORIZATION=f"Bearer {token_of(cw.users[9])}")
    assert response.status_code == 405


def test_the_schema_documents_the_operation(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][PATH.format("{item_id}")]["post"]
    assert operation["tags"] == ["congress"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/BallotIn")
    answer = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith("/Receipt")
    assert {"content", "commitment"} <= set(schema["components"]["schemas"]["BallotIn"]["properties"])
    assert {"receipt", "commitment", "salt", "round"} <= set(schema["components"]["schemas"]["Receipt"]["properties"])
