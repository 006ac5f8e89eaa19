"""The treasurer's pages: queue, confirmation, batch, export, voucher, return upload with its
report; the worker's phone page; 404 for an outsider."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.mutualaid.models import Claim, PaymentBatch
from zhigong.mutualaid.tests.payments_setup import approved_claim, build_fund


@pytest.fixture
def fund(world):
    fund = build_fund(world)
    approved_claim(fund, 450000, "HZ2026-0001")
    approved_claim(fund, 2000, "HZ2026-0002")
    return fund


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("return.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_the_treasurer_pays_a_batch_through_the_pages(fund, login, world):
    client = login(fund.treasurer)
    pool = fund.pool
    index = client.get("/mutualaid/payments/").content.decode()
    assert pool.name in index and "¥4,520.00" in index
    queue = client.get(f"/mutualaid/payments/pools/{pool.pk}/").content.decode()
    assert "HZ2026-0001" in queue and "生成支付批次" in queue
    ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    confirm = client.get(f"/mutualaid/payments/pools/{pool.pk}/confirm/", {"claims": ids})
    assert "¥4,520.00" in confirm.content.decode() and "6222****3445" in confirm.content.decode()
    # Without the confirmation box nothing happens.
    refused = client.post(f"/mutualaid/payments/pools/{pool.pk}/confirm/",
                          {"claims": ",".join(map(str, ids)), "expected_total_fen": 452000})
    assert refused.status_code == 200 and "请勾选确认" in refused.content.decode()
    assert not PaymentBatch.objects.exists()
    made = client.post(f"/mutualaid/payments/pools/{pool.pk}/confirm/",
                       {"claims": ",".join(map(str, ids)), "expected_total_fen": 452000, "confirm": "on"})
    batch = PaymentBatch.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/mutualaid/payments/batches/{batch.pk}/"
    exported = client.post(f"/mutualaid/payments/batches/{batch.pk}/export/xlsx/")
    assert exported.status_code == 200 and exported["Content-Disposition"].endswith(f'{batch.number}.xlsx"')
    voucher = client.get(f"/mutualaid/payments/batches/{batch.pk}/voucher.pdf")
    assert voucher.status_code == 200 and voucher.content.startswith(b"%PDF")
    refs = list(batch.payouts.order_by("pk").values_list("reference", flat=True))
    header = "付款流水号,金额（元）,状态,原因,日期\r\n"
    bad = client.post(f"/mutualaid/payments/batches/{batch.pk}/return/",
                      {"file": _csv(header + f"{refs[0]},4500.00,已付,,2026-11-24\r\n")})
    page = bad.content.decode()
    assert bad.status_code == 400 and "未导入任何记录" in page and "状态应为" in page
    good = client.post(f"/mutualaid/payments/batches/{batch.pk}/return/", {"file": _csv(
        header + f"{refs[0]},4500.00,成功,,2026-11-24\r\n{refs[1]},20.00,失败,户名不符,2026-11-24\r\n")})
    page = good.content.decode()
    assert good.status_code == 200 and "已支付 1 笔，支付失败 1 笔" in page and "户名不符" in page
    worker = login(world.worker)
    mine = worker.get("/mutualaid/payments/mine/").content.decode()
    assert "已支付" in mine and "户名不符" in mine and "6222****3445" in mine
    failed = Claim.objects.get(number="HZ2026-0002")
    detail = worker.get(f"/mutualaid/claims/{failed.pk}/").content.decode()
    assert "支付情况" in detail and "支付失败" in detail and "户名不符" in detail and "更正收款账户" in detail
    url = f"/mutualaid/payments/claims/{failed.pk}/account/"
    bad = worker.post(url, {"bank_name": "建设银行", "account_holder": "张伟", "account_number": "12ab"})
    assert bad.status_code == 400 and "银行账号应为12至30位数字" in bad.content.decode()
    done = worker.post(url, {"bank_name": "建设银行", "account_holder": "张伟",
                             "account_number": "6217000010002000399"})
    assert done.status_code == 302 and done["Location"] == f"/mutualaid/claims/{failed.pk}/"
    assert login(world.outsider).get(url).status_code == 404


def test_a_cadre_sees_the_batch_but_gets_no_buttons(fund, login, world):
    from zhigong.mutualaid import actions_payments as actions

    batch = actions.create_batch(fund.treasurer, fund.pool)
    client = login(world.cadre_a)
    page = client.get(f"/mutualaid/payments/batches/{batch.pk}/").content.decode()
    assert batch.number in page and "导出银行批量付款文件" not in page
    assert client.post(f"/mutualaid/payments/batches/{batch.pk}/export/csv/").status_code == 403
    assert client.get(f"/mutualaid/payments/pools/{fund.pool.pk}/confirm/").status_code == 403


def test_an_outsider_gets_404(fund, login, world):
    from zhigong.mutualaid import actions_payments as actions

    batch = actions.create_batch(fund.treasurer, fund.pool)
    client = login(world.outsider)
    for url in (f"/mutualaid/payments/pools/{fund.pool.pk}/", f"/mutualaid/payments/pools/{fund.pool.pk}/confirm/",
                f"/mutualaid/payments/batches/{batch.pk}/", f"/mutualaid/payments/batches/{batch.pk}/voucher.pdf"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/mutualaid/payments/batches/{batch.pk}/export/csv/").status_code == 404
    assert batch.number not in client.get("/mutualaid/payments/").content.decode()
