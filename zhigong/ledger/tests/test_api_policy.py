"""Every ledger endpoint answers 404 to an outsider (a cadre of county B) for objects of county
A, 401 to anonymous callers; the treasurer of county A posts, reverses and closes over JSON."""

import pytest

from zhigong.core import actions as core
from zhigong.core.tests import api_matrix
from zhigong.ledger.tests.conftest import contribution

BODIES = {
    "/api/v1/ledger/books/{book_id}/entries": {"day": "2026-10-15", "memo": "x",
                                                "legs": [{"account": "1002", "debit_fen": 1},
                                                         {"account": "6001", "credit_fen": 1}]},
    "/api/v1/ledger/books/{book_id}/periods": {"month": "2026-09-01"},
    "/api/v1/ledger/entries/{entry_id}/reverse": {"reason": "x"},
    "/api/v1/ledger/books": {"owner_id": 0, "name": "x"},
}


@pytest.fixture
def params(books, world):
    entry = contribution(books.treasurer, books.a, 500, world.enterprise_a.pk, person_id=world.worker_person.pk)
    return {"book_id": books.a.pk, "entry_id": entry.pk, "org_id": world.enterprise_a.pk,
            "person_id": world.worker_person.pk}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(user, 't')[1]}"}


def test_outsider_gets_404_on_every_object(params, world, client):
    checked = api_matrix.assert_outsider_gets_404(client, "ledger", params, BODIES,
                                                  core.issue_token(world.outsider, "t")[1])
    assert checked >= 10


def test_outsider_sees_no_county_a_book_and_cannot_open_one_there(params, world, client):
    auth = _auth(world.outsider)
    assert [b["code"] for b in client.get("/api/v1/ledger/books", **auth).json()] == ["pool-b"]
    response = api_matrix.call(client, "POST", "/api/v1/ledger/books",
                               {"owner_id": world.county_a.pk, "name": "越权"}, **auth)
    assert response.status_code == 404


def test_anonymous_gets_401_on_every_operation(params, client):
    for method, template in api_matrix.routes("ledger"):
        response = api_matrix.call(client, method, api_matrix.fill(template, params), BODIES.get(template))
        assert response.status_code == 401, (method, template, response.content)


def test_an_auditor_reads_but_may_not_post(params, world, client):
    auth = _auth(world.auditor)
    assert client.get(f"/api/v1/ledger/books/{params['book_id']}/trial-balance", **auth).json()["balanced"]
    response = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{params['book_id']}/entries",
                               BODIES["/api/v1/ledger/books/{book_id}/entries"], **auth)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_treasurer_posts_reverses_and_closes(params, books, client):
    auth = _auth(books.treasurer)
    book = params["book_id"]
    posted = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{book}/entries", {
        "day": "2026-10-16", "memo": "支付互助金", "key": "claim-1",
        "legs": [{"account": "6401", "debit_fen": 300}, {"account": "1002", "credit_fen": 300}]}, **auth)
    assert posted.status_code == 201, posted.content
    entry = posted.json()
    assert sorted((leg["account"], leg["amount_fen"]) for leg in entry["legs"]) == [("1002", -300), ("6401", 300)]
    reversed_ = api_matrix.call(client, "POST", f"/api/v1/ledger/entries/{entry['id']}/reverse",
                                {"reason": "重复支付", "day": "2026-10-17"}, **auth)
    assert reversed_.status_code == 201 and reversed_.json()["reverses_id"] == entry["id"]
    detail = client.get(f"/api/v1/ledger/entries/{entry['id']}", **auth).json()
    assert detail["reversed_by_id"] == reversed_.json()["id"]
    closed = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{book}/periods", {"month": "2026-10-05"}, **auth)
    assert closed.status_code == 201 and closed.json()["month"] == "2026-10-01"
    late = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{book}/entries", {
        "day": "2026-10-20", "memo": "迟到", "legs": [{"account": "1002", "debit_fen": 1},
                                                      {"account": "6001", "credit_fen": 1}]}, **auth)
    assert late.status_code == 400 and late.json()["code"] == "ledger.period_closed"
    balances = {r["account"]: r for r in client.get(f"/api/v1/ledger/books/{book}/balances", **auth).json()}
    assert balances["1002"]["closing_fen"] == 500 and balances["6001"]["natural_closing_fen"] == 500


@pytest.mark.parametrize("legs, code", [
    ([{"account": "1002", "debit_fen": 5}, {"account": "6001", "credit_fen": 4}], "ledger.unbalanced"),
    ([{"account": "1002", "debit_fen": 5, "credit_fen": 5}, {"account": "6001", "credit_fen": 0}], "ledger.leg_side"),
    ([{"account": "1002", "debit_fen": 5}, {"account": "9999", "credit_fen": 5}], "ledger.account"),
    ([{"account": "1002", "debit_fen": 10**18}, {"account": "6001", "credit_fen": 10**18}], "ledger.amount"),
    ([{"account": "1002", "debit_fen": 5, "organization_id": 10**18}, {"account": "6001", "credit_fen": 5}],
     "ledger.party"),
])
def test_bad_entries_get_a_coded_400(params, books, client, legs, code):
    response = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{params['book_id']}/entries",
                               {"day": "2026-10-16", "memo": "坏", "legs": legs}, **_auth(books.treasurer))
    assert response.status_code == 400 and response.json()["code"] == code


def test_a_party_id_beyond_64_bits_is_a_422_naming_it(params, books, client):
    """Every API input must fit the database (zhigong/api_guards.py): refused before the ledger's
    own party check, with the field's path."""
    legs = [{"account": "1002", "debit_fen": 5, "organization_id": 10**19}, {"account": "6001", "credit_fen": 5}]
    response = api_matrix.call(client, "POST", f"/api/v1/ledger/books/{params['book_id']}/entries",
                               {"day": "2026-10-16", "memo": "坏", "legs": legs}, **_auth(books.treasurer))
    assert response.status_code == 422, response.content
    assert [f["path"] for f in response.json()["details"]["fields"]] == ["legs.0.organization_id"]


def test_statements_for_the_enterprise_and_the_worker(params, world, client):
    statement = client.get(f"/api/v1/ledger/organizations/{world.enterprise_a.pk}/statement",
                           **_auth(world.enterprise_admin)).json()
    assert statement["debit_total_fen"] == 500 and statement["credit_total_fen"] == 500
    own = client.get(f"/api/v1/ledger/people/{world.worker_person.pk}/statement", **_auth(world.worker)).json()
    assert [line["amount_fen"] for line in own["lines"]] == [-500]
    assert client.get(f"/api/v1/ledger/people/{world.person_b.pk}/statement",
                      **_auth(world.worker)).status_code == 404


def test_a_book_is_shown_and_opened_with_its_owner_and_region(params, books, world, client):
    """Found by the fuzzer (test_api_fuzz): GET /books/{id} and POST /books answered 500, the
    book's detail failing its own response schema (owner_name, region_code were missing)."""
    auth = _auth(world.cadre_a)
    shown = client.get(f"/api/v1/ledger/books/{books.a.pk}", **auth)
    assert shown.status_code == 200, shown.content
    assert (shown.json()["owner_name"], shown.json()["region_code"]) == ("玄武区总工会", "320102")
    opened = api_matrix.call(client, "POST", "/api/v1/ledger/books",
                             {"owner_id": world.county_a.pk, "name": "玄武区工会经费"}, **auth)
    assert opened.status_code == 201, opened.content
    assert opened.json()["owner_name"] == "玄武区总工会" and opened.json()["accounts"]
