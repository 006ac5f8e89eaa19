"""Notices, payments, arrears: a notice's lines show their computation, its receivable and union
subsidy are split among the three pools to the fen, payments by hand and from a bank statement
(partial, in full, twice), suspension after the grace period and restoration on payment."""

from datetime import date

import pytest
from django.db.models import Sum

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import EnterpriseProfit
from zhigong.ledger.models import Leg
from zhigong.mutualaid import actions_contributions as contributions
from zhigong.mutualaid.ledgering import chart
from zhigong.mutualaid.models import ContributionPayment, Coverage, Enrolment, Invoice
from zhigong.mutualaid.tests import pools_setup

ISSUED = date(2026, 1, 5)


@pytest.fixture
def fund(world):
    return pools_setup.build(world)


@pytest.fixture
def invoice(fund):
    return contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)


def _book_sum(pool, code):
    return Leg.objects.filter(book=pool.book, account__code=code).aggregate(s=Sum("amount_fen"))["s"] or 0


def test_a_notice_lists_every_worker_with_the_computation(invoice, fund):
    assert invoice.number.startswith("JF2026") and len(invoice.number) == 14
    assert invoice.lines.count() == 3
    # 80 元 each, union 30, enterprise 50 (no profit on file: factor 1)
    assert (invoice.total_fen, invoice.union_fen, invoice.enterprise_fen, invoice.worker_fen) == (24000, 9000, 15000, 0)
    line = invoice.lines.first()
    assert "每份80.00元 × 1份 × 系数1（上年度利润未登记" in line.explanation
    assert line.rules_used and invoice.due_on == date(2026, 2, 4) and invoice.grace_until == date(2026, 3, 6)


def test_the_receivable_and_subsidy_are_split_70_20_10(invoice, fund):
    assert _book_sum(fund.county, chart.RECEIVABLE) == 10500 and _book_sum(fund.city, chart.RECEIVABLE) == 3000
    assert _book_sum(fund.province, chart.RECEIVABLE) == 1500
    assert [_book_sum(p, chart.SUBSIDIES) for p in (fund.county, fund.city, fund.province)] == [-6300, -1800, -900]
    assert sum(p["due_fen"] for p in invoice.basis["pools"]) == 15000


def test_a_loss_last_year_lowers_every_line(fund, world):
    EnterpriseProfit.objects.create(enterprise=world.enterprise_a, year=2025, profit_fen=-3_000_000)
    invoice = contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    assert invoice.total_fen == 3 * 6400 and "亏损" in invoice.lines.first().explanation


def test_hardship_worker_is_paid_by_the_union(fund):
    Coverage.objects.filter(pk=fund.coverages[0].pk).update(hardship=True)
    enrolment = fund.enrolment
    version = enrolment.version
    version.benefit_rules.filter(code="contribution_split").update(params={"union_fen": 3000, "enterprise_permille": 0})
    invoice = contributions.issue_invoice(fund.treasurer, enrolment, day=ISSUED)
    hardship = invoice.lines.get(coverage=fund.coverages[0])
    assert (hardship.worker_fen, hardship.union_fen) == (0, 8000)
    assert invoice.worker_fen == 10000 and invoice.union_fen == 14000


def test_one_notice_per_period_and_only_by_the_pools_officers(invoice, fund, world):
    with pytest.raises(DomainError) as twice:
        contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    assert twice.value.code == "mutualaid.invoice_exists"
    with pytest.raises(PermissionDenied):
        contributions.issue_invoice(world.enterprise_admin, fund.enrolment, date(2026, 7, 1), day=ISSUED)


def test_partial_then_full_payment_shares_to_the_fen(invoice, fund):
    contributions.record_payment(fund.treasurer, invoice, 7001, date(2026, 1, 20), "B001", "玄武机械")
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PARTIAL and contributions.owed_fen(invoice) == 7999
    contributions.record_payment(fund.treasurer, invoice, 7999, date(2026, 1, 25))
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID
    for pool in (fund.county, fund.city, fund.province):
        assert _book_sum(pool, chart.RECEIVABLE) == 0  # every pool's receivable is settled exactly


def test_a_reused_bank_reference_is_refused(invoice, fund):
    contributions.record_payment(fund.treasurer, invoice, 100, date(2026, 1, 20), "B001")
    with pytest.raises(DomainError) as twice:
        contributions.record_payment(fund.treasurer, invoice, 100, date(2026, 1, 20), "B001")
    assert twice.value.code == "mutualaid.payment_twice"


def test_arrears_suspend_after_grace_once_and_payment_restores(invoice, fund):
    assert contributions.suspend_overdue(None, date(2026, 3, 6)) == 0  # the last day of grace
    assert contributions.suspend_overdue(None, date(2026, 3, 7)) == 1
    assert contributions.suspend_overdue(None, date(2026, 3, 8)) == 0  # idempotent
    fund.enrolment.refresh_from_db()
    assert fund.enrolment.state == Enrolment.State.SUSPENDED
    assert set(fund.enrolment.coverages.values_list("state", flat=True)) == {Coverage.State.SUSPENDED}
    contributions.record_payment(fund.treasurer, invoice, 10000, date(2026, 3, 10))
    fund.enrolment.refresh_from_db()
    assert fund.enrolment.state == Enrolment.State.SUSPENDED  # partial payment: still in arrears
    contributions.record_payment(fund.treasurer, invoice, 5000, date(2026, 3, 10))
    fund.enrolment.refresh_from_db()
    assert fund.enrolment.state == Enrolment.State.ACTIVE
    assert set(fund.enrolment.coverages.values_list("state", flat=True)) == {Coverage.State.ACTIVE}


def _csv(rows, header="交易日期,流水号,付款人,金额（元）,附言"):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8-sig")


def test_statement_import_matches_on_the_number_and_twice_is_harmless(invoice, fund):
    data = _csv([f"2026-01-20,S1,玄武机械,100.00,缴费 {invoice.number}",
                 f"2026/01/21,S2,玄武机械,50.00,{invoice.number}"])
    result = contributions.import_statement(fund.treasurer, data, "s.csv")
    assert result.statement.clean and len(result.payments) == 2
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID
    again = contributions.import_statement(fund.treasurer, data, "s.csv")
    assert again.statement.clean and not again.payments and len(again.statement.skipped) == 2
    assert ContributionPayment.objects.count() == 2


@pytest.mark.parametrize("rows, column, message", [
    (["2026-01-20,S1,玄武机械,100.00,没有单号"], "附言", "没有缴费通知单号"),
    (["2026-01-20,S1,玄武机械,100.00,JF202699999999"], "附言", "不存在"),
    (["2026-01-20,S1,玄武机械,100.00,{n}", "2026-01-20,S1,玄武机械,10.00,{n}"], "流水号", "与第2行流水号重复"),
    (["20-01-2026,S1,玄武机械,100.00,{n}"], "交易日期", "日期格式"),
    (["2026-01-20,S1,玄武机械,-5,{n}"], "金额（元）", "大于零"),
])
def test_a_bad_statement_writes_nothing_and_says_where(invoice, fund, rows, column, message):
    data = _csv([r.format(n=invoice.number) for r in rows] + [f"2026-01-22,S9,玄武机械,1.00,{invoice.number}"])
    result = contributions.import_statement(fund.treasurer, data)
    assert not result.statement.clean and not result.payments
    assert any(e.column == column and message in e.message for e in result.statement.errors), result.statement.errors
    assert not ContributionPayment.objects.exists()


def test_a_statement_with_wrong_columns_is_refused(invoice, fund):
    with pytest.raises(DomainError) as wrong:
        contributions.import_statement(fund.treasurer, _csv(["a,b,c"], header="日期,对方,金额"))
    assert wrong.value.code == "statement.columns" and "流水号" in str(wrong.value.message)


def test_an_outsider_cannot_pay_into_county_a_by_statement(invoice, fund, world):
    result = contributions.import_statement(world.outsider, _csv([f"2026-01-20,S1,x,1.00,{invoice.number}"]))
    assert not result.statement.clean and "不存在" in result.statement.errors[0].message


def test_the_daily_command_suspends_once(invoice, fund):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("mutualaid_arrears", "--day", "2026-03-07", stdout=out)
    call_command("mutualaid_arrears", "--day", "2026-03-08", stdout=out)
    assert out.getvalue().splitlines() == [
        "notices in arrears past their grace period, coverage suspended: 1",
        "notices in arrears past their grace period, coverage suspended: 0"]
    fund.enrolment.refresh_from_db()
    assert fund.enrolment.state == Enrolment.State.SUSPENDED


def test_upper_pools_shares_are_posted_by_the_officer_under_the_fund_step(invoice, fund):
    """The county treasurer holds no ledger grant over the city's and province's books; their
    shares are posted under the notice's authority (ledger authorised_by), still by the officer,
    and the trail names the step."""
    import json

    from zhigong.core.models import RoleGrant
    from zhigong.ledger.models import Entry
    from zhigong.trail.models import Event

    county = Entry.objects.get(book=fund.county.book, key=f"invoice:{invoice.pk}:receivable:{fund.county.pk}")
    city = Entry.objects.get(book=fund.city.book, key=f"invoice:{invoice.pk}:receivable:{fund.city.pk}")
    assert county.posted_by == city.posted_by == fund.treasurer
    posts = [json.loads(bytes(e.leaf))["data"]
             for e in Event.objects.filter(actor_id=fund.treasurer.pk, verb="ledger.post")]
    upper = sorted(d["authorised_by"] for d in posts if d["book"] in (fund.city.book_id, fund.province.book_id))
    assert upper == ["mutualaid.notice"] * 2 + ["mutualaid.notice_subsidy"] * 2
    own = {d["authorised_by"] for d in posts if d["book"] == fund.county.book_id}
    assert own == {""}  # the county book: the treasurer's own grant
    assert not RoleGrant.objects.filter(organization__in=[fund.world.city, fund.world.province],
                                        user=fund.treasurer).exists()


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["交易日期", "对方户名", "贷方金额", "摘要", "交易流水号"])  # a bank's own names and order
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_statement_with_the_banks_own_column_names(invoice, fund):
    data = _xlsx([[date(2026, 1, 20), "玄武机械", 150, f"互助金 {invoice.number.lower()}", "X1"]])
    result = contributions.import_statement(fund.treasurer, data, "s.xlsx")
    assert result.statement.clean and [p.amount_fen for p in result.payments] == [15000]
    assert result.payments[0].payer == "玄武机械" and result.payments[0].bank_reference == "X1"


@pytest.mark.parametrize("data, code", [
    (b"%PDF-1.4 not a statement", "statement.columns"),
    (b"\x00\x01\x02 binary", "bankfile.type"),
    (b"PK\x03\x04 not really a workbook", "bankfile.type"),
    (b"", "statement.empty"),
    ("交易日期,流水号,付款人,金额（元）,附言\n".encode(), "statement.empty"),
    (b"x" * (5 * 1024 * 1024 + 1), "file.too_large"),
])
def test_files_that_are_not_statements_are_refused(invoice, fund, data, code):
    with pytest.raises(DomainError) as refused:
        contributions.import_statement(fund.treasurer, data)
    assert refused.value.code == code and refused.value.field == "file"
    assert not ContributionPayment.objects.exists()


def test_a_notice_the_union_pays_in_full_is_paid_on_issue_and_never_suspends(world):
    fund = pools_setup.build(world, plan_code="sh-huiyuan")
    invoice = contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    assert (invoice.total_fen, invoice.union_fen, invoice.state) == (7200, 7200, Invoice.State.PAID)
    assert contributions.suspend_overdue(None, date(2026, 12, 1)) == 0


def test_a_statement_row_dated_tomorrow_is_a_row_error(invoice, fund):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    result = contributions.import_statement(fund.treasurer, _csv([f"{tomorrow},S1,x,1.00,{invoice.number}"]))
    assert [(e.row, e.column) for e in result.statement.errors] == [(2, "交易日期")]


def test_a_province_of_its_own_shares_and_bands_from_their_date(fund, world):
    from zhigong.core.models import RuleRow

    RuleRow.objects.create(key="mutualaid.pool_shares", region_code="320000", effective_from=date(2026, 1, 1),
                           value={"county": 500, "city": 300, "province": 200}, source="江苏示例")
    RuleRow.objects.create(key="mutualaid.profit_bands", region_code="320100", effective_from=date(2027, 1, 1),
                           value={"bands": [{"below_fen": None, "permille": 2000, "label": "全部"}]}, source="南京2027")
    invoice = contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    assert [p["due_fen"] for p in invoice.basis["pools"]] == [7500, 4500, 3000]
    shares = next(r for r in invoice.basis["terms"] if r["key"] == "mutualaid.pool_shares")
    assert shares["region"] == "320000"
    assert invoice.total_fen == 24000  # Nanjing's 2027 bands do not reach a 2026 period
    bands = next(r for r in invoice.basis["rules"] if r["key"] == "mutualaid.profit_bands")
    assert bands["region"] == "national"
