"""The ledger's pages: books, balances by month range, trial balance, journal, an entry with
its reversal, statements, exports; 404 for outsiders, the form keeps its input on errors."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from zhigong.ledger import actions
from zhigong.ledger.models import Entry
from zhigong.ledger.rules import credit, debit
from zhigong.ledger.tests.conftest import contribution


@pytest.fixture
def posted(books, world):
    first = contribution(books.treasurer, books.a, 8000, world.enterprise_a.pk, day=date(2026, 9, 10),
                         person_id=world.worker_person.pk)
    second = contribution(books.treasurer, books.a, 2050, world.enterprise_a.pk, day=date(2026, 10, 10))
    paid = actions.post(books.treasurer, books.a, date(2026, 10, 12), "支付互助金", [
        debit("6401", 1500, person_id=world.worker_person.pk), credit("1002", 1500, person_id=world.worker_person.pk)])
    return first, second, paid


def test_the_book_list_shows_visible_books_with_their_bank(posted, books, world, login):
    page = login(world.cadre_a).get("/ledger/").content.decode()
    assert books.a.name in page and books.b.name not in page and "¥85.50" in page
    assert books.a.name not in login(world.outsider).get("/ledger/").content.decode()


def test_balances_by_month_range(posted, books, world, login):
    client = login(world.auditor)
    october = client.get(f"/ledger/books/{books.a.pk}/?start=2026-10&end=2026-10").content.decode()
    # Bank: ¥80.00 opening (September), ¥20.50 in, ¥15.00 out, ¥85.50 at the end.
    for figure in ("¥80.00", "¥20.50", "¥15.00", "¥85.50"):
        assert figure in october
    bad = client.get(f"/ledger/books/{books.a.pk}/?start=2026-11&end=2026-10")
    assert bad.status_code == 200 and "截止月份不能早于起始月份" in bad.content.decode()
    assert client.get(f"/ledger/books/{books.a.pk}/?start=tomorrow").status_code == 200


def test_exports_of_balances_and_trial_balance(posted, books, world, login):
    client = login(world.cadre_a)
    response = client.get(f"/ledger/books/{books.a.pk}/?export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    bank = next(r for r in rows if r[0] == "1002")
    assert bank[-1] == "85.50" and response["Content-Type"].startswith("text/csv")
    workbook = load_workbook(io.BytesIO(client.get(f"/ledger/books/{books.a.pk}/trial/?export=xlsx").content))
    values = list(workbook.active.values)
    assert values[-1][2] == values[-1][3] and float(values[-1][2]) > 0


def test_trial_balance_until_a_month(posted, books, world, login):
    page = login(world.cadre_a).get(f"/ledger/books/{books.a.pk}/trial/?until=2026-09").content.decode()
    assert "借贷平衡" in page and "¥80.00" in page and "¥85.50" not in page


def test_entry_page_reverses_and_links_both_ways(posted, books, world, login):
    first = posted[0]
    client = login(books.treasurer)
    page = client.get(f"/ledger/entries/{first.pk}/").content.decode()
    assert "冲销本凭证" in page and world.enterprise_a.name in page
    response = client.post(f"/ledger/entries/{first.pk}/reverse/", {"reason": "金额有误", "day": "2026-10-20"})
    reversal = Entry.objects.get(reverses=first)
    assert response.status_code == 302 and response["Location"] == f"/ledger/entries/{reversal.pk}/"
    assert f"/ledger/entries/{first.pk}/" in client.get(response["Location"]).content.decode()
    page = client.get(f"/ledger/entries/{first.pk}/").content.decode()
    assert f"/ledger/entries/{reversal.pk}/" in page and "冲销本凭证" not in page


def test_a_refused_reversal_shows_the_reason_and_keeps_the_input(posted, books, login):
    actions.close_period(books.treasurer, books.a, date(2026, 9, 1))
    response = login(books.treasurer).post(f"/ledger/entries/{posted[0].pk}/reverse/",
                                           {"reason": "月份已结", "day": "2026-09-30"})
    page = response.content.decode()
    assert response.status_code == 400 and "已结账" in page and "月份已结" in page
    assert not Entry.objects.filter(reverses=posted[0]).exists()


def test_closing_a_month_from_the_book_page(posted, books, world, login):
    client = login(books.treasurer)
    response = client.post(f"/ledger/books/{books.a.pk}/close/", {"month": "2026-09"})
    assert response.status_code == 302 and actions.is_closed(books.a, date(2026, 9, 1))
    assert "2026-09" in client.get(f"/ledger/books/{books.a.pk}/").content.decode()
    assert login(world.auditor).post(f"/ledger/books/{books.a.pk}/close/", {"month": "2026-08"}).status_code == 403


def test_statements_of_the_enterprise_and_the_worker(posted, world, login):
    page = login(world.enterprise_admin).get(f"/ledger/organizations/{world.enterprise_a.pk}/statement/")
    assert page.status_code == 200 and "¥100.50" in page.content.decode()  # 80.00 + 20.50 debits
    own = login(world.worker).get(f"/ledger/people/{world.worker_person.pk}/statement/?export=csv")
    rows = list(csv.reader(io.StringIO(own.content.decode("utf-8-sig"))))
    assert sorted((r[5], r[6]) for r in rows[1:]) == [("0.00", "15.00"), ("0.00", "80.00"), ("15.00", "0.00")]


def test_outsiders_get_404_everywhere(posted, books, world, login):
    client = login(world.outsider)
    for url in (f"/ledger/books/{books.a.pk}/", f"/ledger/books/{books.a.pk}/trial/",
                f"/ledger/books/{books.a.pk}/entries/", f"/ledger/entries/{posted[0].pk}/",
                f"/ledger/organizations/{world.enterprise_a.pk}/statement/",
                f"/ledger/people/{world.worker_person.pk}/statement/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ledger/entries/{posted[0].pk}/reverse/", {"reason": "x"}).status_code == 404
    assert client.post(f"/ledger/books/{books.a.pk}/close/", {"month": "2026-09"}).status_code == 404


def test_the_journal_lists_and_filters_by_account(posted, books, world, login):
    page = login(world.cadre_a).get(f"/ledger/books/{books.a.pk}/entries/?account=6401").content.decode()
    assert "支付互助金" in page and "企业缴费" not in page
