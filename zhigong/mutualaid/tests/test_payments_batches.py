"""Payment batches end to end through the actions: approved claims gather into a batch, the bank
file can be exported again without changing anything but its count, the bank's return file pays
or fails each payout once, a failed payment goes back to the queue, and the pool's book stays
balanced with claims payable moved to the bank only for what was paid."""

import csv
import io
import subprocess
from datetime import date

import pytest
from django.db.models import Sum

from zhigong.core import bankfiles
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Notification
from zhigong.env import VAR_DIR
from zhigong.ledger import chart
from zhigong.ledger.models import Entry, Leg
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid import queries_payments as queries
from zhigong.mutualaid.models import Claim, PaymentBatch, Payout
from zhigong.mutualaid.tests.payments_setup import ACCOUNT, approved_claim, build_fund
from zhigong.trail.models import Event

DAY = date(2026, 7, 3)


@pytest.fixture
def fund(world):
    return build_fund(world)


@pytest.fixture
def claims(fund):
    return [approved_claim(fund, 450000, "HZ2026-0001"), approved_claim(fund, 123456, "HZ2026-0002",
                                                                          account="6217000010002000300")]


def balance(fund, code: str) -> int:
    return Leg.objects.filter(book=fund.pool.book, account__code=code).aggregate(s=Sum("amount_fen"))["s"] or 0


def answer(batch, results: dict[str, tuple[bool, str]], day: date = DAY) -> bytes:
    payouts = batch.payouts.select_related("claim").order_by("pk")
    rows = [(p.reference, p.amount_fen, *results[p.claim.number], day) for p in payouts if p.claim.number in results]
    return bankfiles.return_template_csv(rows)


def test_approved_claims_gather_into_a_batch_and_the_worker_is_told(fund, claims, world):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    assert (batch.count, batch.total_fen, batch.state) == (2, 573456, PaymentBatch.State.OPEN)
    assert set(Claim.objects.values_list("state", flat=True)) == {Claim.State.IN_BATCH}
    assert sorted(batch.payouts.values_list("reference", flat=True)) == [f"{batch.number}-0001", f"{batch.number}-0002"]
    assert Notification.objects.filter(user=world.worker, title="互助金已列入支付批次").count() == 2
    assert Event.objects.filter(verb="mutualaid.batch.create", object_id=str(batch.pk)).exists()
    assert list(queries.queue(fund.treasurer, fund.pool)) == []


def test_a_claim_in_a_live_batch_goes_into_no_other(fund, claims):
    actions.create_batch(fund.treasurer, fund.pool, [claims[0].pk])
    with pytest.raises(DomainError) as caught:
        actions.create_batch(fund.treasurer, fund.pool, [claims[0].pk])
    assert caught.value.code == "payments.nothing_to_pay"
    second = actions.create_batch(fund.treasurer, fund.pool)
    assert list(second.payouts.values_list("claim_id", flat=True)) == [claims[1].pk]


def test_the_confirmed_total_must_still_hold(fund, claims):
    with pytest.raises(DomainError) as caught:
        actions.create_batch(fund.treasurer, fund.pool, expected_total_fen=450000)
    assert caught.value.code == "payments.changed"
    assert "¥5,734.56" in caught.value.message and "¥4,500.00" in caught.value.message
    assert not PaymentBatch.objects.exists() and not Payout.objects.exists()


def test_only_a_treasurer_of_the_pool_makes_batches(fund, claims, world):
    for someone in (world.cadre_a, world.enterprise_admin, world.worker, world.auditor, world.outsider):
        with pytest.raises(PermissionDenied):
            actions.create_batch(someone, fund.pool)
    assert not PaymentBatch.objects.exists()


def test_exporting_twice_gives_the_same_file_and_moves_no_money(fund, claims):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    bank_before = balance(fund, chart.BANK)
    first = actions.export_batch(fund.treasurer, batch, "csv")
    second = actions.export_batch(fund.treasurer, batch, "csv")
    assert first.data == second.data
    rows = list(csv.reader(io.StringIO(first.data.decode("utf-8-sig"))))
    assert rows[1][1:6] == [f"{batch.number}-0001", "张伟", ACCOUNT, "工商银行南京玄武支行", "4500.00"]
    xlsx = actions.export_batch(fund.treasurer, batch, "xlsx")
    assert xlsx.data.startswith(b"PK") and xlsx.name == f"{batch.number}.xlsx"
    batch.refresh_from_db()
    assert batch.export_count == 3 and batch.state == PaymentBatch.State.EXPORTED
    assert set(batch.payouts.values_list("state", flat=True)) == {Payout.State.EXPORTED}
    assert set(Claim.objects.values_list("state", flat=True)) == {Claim.State.IN_BATCH}
    assert Event.objects.filter(verb="mutualaid.batch.export", object_id=str(batch.pk)).count() == 3
    assert balance(fund, chart.BANK) == bank_before


def test_the_return_file_pays_and_fails_and_the_failed_claim_is_queued_again(fund, claims, world):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "xlsx")
    bank_before = balance(fund, chart.BANK)
    report = actions.import_return(fund.treasurer, batch, answer(batch, {
        "HZ2026-0001": (True, ""), "HZ2026-0002": (False, "户名与账号不符")}), "return.csv")
    assert (report.paid, report.failed, report.skipped, report.paid_fen) == (1, 1, 0, 450000)
    paid, failed = Claim.objects.get(number="HZ2026-0001"), Claim.objects.get(number="HZ2026-0002")
    assert paid.state == Claim.State.PAID and paid.paid_at is not None
    assert failed.state == Claim.State.PAYMENT_FAILED
    assert failed.payouts.get().bank_reason == "户名与账号不符"
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.SETTLED
    # Money: the paid claim left claims payable for the bank; the failed one is still owed.
    payout = paid.payouts.get()
    assert payout.entry is not None and payout.bank_day == DAY
    assert sorted(payout.entry.legs.values_list("account__code", "amount_fen")) == [
        (chart.BANK, -450000), (chart.CLAIMS_PAYABLE, 450000)]
    assert balance(fund, chart.BANK) == bank_before - 450000
    assert balance(fund, chart.CLAIMS_PAYABLE) == -123456
    assert Leg.objects.filter(book=fund.pool.book).aggregate(s=Sum("amount_fen"))["s"] == 0
    # The failed claim is back in the queue, with the bank's reason, and pays in a new batch.
    assert [c.number for c in queries.queue(fund.treasurer, fund.pool)] == ["HZ2026-0002"]
    titles = list(Notification.objects.filter(user=world.worker).values_list("title", flat=True))
    assert "互助金已支付" in titles and "互助金支付失败" in titles
    again = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, again, "csv")
    actions.import_return(fund.treasurer, again, answer(again, {"HZ2026-0002": (True, "")}))
    failed.refresh_from_db()
    assert failed.state == Claim.State.PAID
    assert list(failed.payouts.order_by("pk").values_list("state", flat=True)) == ["failed", "paid"]
    assert balance(fund, chart.CLAIMS_PAYABLE) == 0


def test_importing_the_same_return_file_twice_pays_once(fund, claims):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    data = answer(batch, {"HZ2026-0001": (True, ""), "HZ2026-0002": (True, "")})
    actions.import_return(fund.treasurer, batch, data)
    entries = Entry.objects.filter(source_type="mutualaid.payout").count()
    bank = balance(fund, chart.BANK)
    report = actions.import_return(fund.treasurer, batch, data)
    assert (report.paid, report.failed, report.skipped) == (0, 0, 2)
    assert Entry.objects.filter(source_type="mutualaid.payout").count() == entries == 2
    assert balance(fund, chart.BANK) == bank
    # Exporting a settled batch is refused: nothing left to send.
    with pytest.raises(DomainError) as caught:
        actions.export_batch(fund.treasurer, batch, "csv")
    assert caught.value.code == "payments.nothing_to_export"


def test_a_return_that_contradicts_an_earlier_answer_writes_nothing(fund, claims):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    actions.import_return(fund.treasurer, batch, answer(batch, {"HZ2026-0001": (True, "")}))
    with pytest.raises(DomainError) as caught:
        actions.import_return(fund.treasurer, batch, answer(batch, {
            "HZ2026-0001": (False, "账户冻结"), "HZ2026-0002": (True, "")}))
    assert caught.value.code == "payments.return_rows"
    assert [e["row"] for e in caught.value.details["errors"]] == [2]
    assert Claim.objects.get(number="HZ2026-0002").state == Claim.State.IN_BATCH
    assert Claim.objects.get(number="HZ2026-0001").state == Claim.State.PAID


def test_a_return_file_naming_unknown_payments_writes_nothing(fund, claims):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    good = batch.payouts.order_by("pk").first()
    data = bankfiles.return_template_csv([(good.reference, good.amount_fen, True, "", DAY),
                                          ("ZF20260101-9999-0001", 100, True, "", DAY)])
    with pytest.raises(DomainError) as caught:
        actions.import_return(fund.treasurer, batch, data)
    assert caught.value.code == "payments.return_rows"
    assert "未导入任何记录" in caught.value.message
    errors = caught.value.details["errors"]
    assert errors == [{"row": 3, "column": "付款流水号",
                       "message": "付款流水号ZF20260101-9999-0001不是本批次待回盘的付款。"}]
    assert set(batch.payouts.values_list("state", flat=True)) == {Payout.State.EXPORTED}
    assert not Entry.objects.filter(source_type="mutualaid.payout").exists()


def test_a_payout_of_another_batch_is_unknown_here(fund, claims):
    first = actions.create_batch(fund.treasurer, fund.pool, [claims[0].pk])
    second = actions.create_batch(fund.treasurer, fund.pool, [claims[1].pk])
    for batch in (first, second):
        actions.export_batch(fund.treasurer, batch, "csv")
    with pytest.raises(DomainError) as caught:
        actions.import_return(fund.treasurer, second, answer(first, {"HZ2026-0001": (True, "")}))
    assert "不是本批次" in caught.value.details["errors"][0]["message"]


def test_a_return_before_the_file_went_to_the_bank_is_refused(fund, claims):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    with pytest.raises(DomainError) as caught:
        actions.import_return(fund.treasurer, batch, answer(batch, {"HZ2026-0001": (True, "")}))
    assert "尚未导出" in caught.value.details["errors"][0]["message"]


def test_the_worker_sees_claim_and_payment(fund, claims, world):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    actions.import_return(fund.treasurer, batch, answer(batch, {"HZ2026-0001": (True, ""),
                                                                "HZ2026-0002": (False, "账户已销户")}))
    mine = {c.number: c for c in queries.my_claims(world.worker)}
    assert mine["HZ2026-0001"].get_state_display() == "已支付"
    assert [p.bank_reason for p in mine["HZ2026-0002"].payouts.all()] == ["账户已销户"]
    assert list(queries.my_claims(world.outsider)) == []
    assert list(queries.visible_batches(world.outsider)) == []
    assert list(queries.visible_batches(world.cadre_a)) == [batch]


def test_the_voucher_states_the_total_in_capital_figures(fund, claims):
    from zhigong.mutualaid.pdf_payments import voucher_context, voucher_pdf

    batch = actions.create_batch(fund.treasurer, fund.pool)
    context = voucher_context(batch)
    assert context["total_fen"] == 573456 and context["total_words"] == "伍仟柒佰叁拾肆元伍角陆分"
    pdf = voucher_pdf(batch)
    (VAR_DIR / "screenshots").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "screenshots" / "mutualaid-voucher.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "支付凭证" in text.replace(" ", "") and "伍仟柒佰叁拾肆元伍角陆分" in text and "¥5,734.56" in text
    assert "6222 **** **** 3445" not in text and ACCOUNT not in text  # masked: the voucher is for the files
    assert "6222****3445" in text


def test_after_a_failed_payment_the_worker_corrects_the_account_and_the_next_file_uses_it(fund, claims, world):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    with pytest.raises(DomainError) as caught:
        actions.correct_account(world.worker, claims[1], "建设银行", "张伟", "6217000010002000399")
    assert caught.value.code == "payments.account_not_failed"
    actions.import_return(fund.treasurer, batch, answer(batch, {"HZ2026-0001": (True, ""),
                                                                "HZ2026-0002": (False, "账号不存在")}))
    failed = Claim.objects.get(number="HZ2026-0002")
    for someone in (world.outsider, world.auditor, fund.treasurer):
        with pytest.raises(PermissionDenied):
            actions.correct_account(someone, failed, "建设银行", "张伟", "6217000010002000399")
    with pytest.raises(DomainError) as caught:
        actions.correct_account(world.worker, failed, "建设银行", "张伟", "62170000")
    assert caught.value.field == "account_number"
    actions.correct_account(world.worker, failed, "建设银行南京分行", "张伟", "6217 0000 1000 2000 399")
    failed.refresh_from_db()
    assert failed.account_masked == "6217 **** **** 0399" and failed.state == Claim.State.PAYMENT_FAILED
    assert Event.objects.filter(verb="mutualaid.payment_account", object_id=str(failed.pk)).exists()
    again = actions.create_batch(fund.treasurer, fund.pool)
    rows = list(csv.reader(io.StringIO(actions.export_batch(fund.treasurer, again, "csv").data.decode("utf-8-sig"))))
    assert rows[1][2:5] == ["张伟", "6217000010002000399", "建设银行南京分行"]
