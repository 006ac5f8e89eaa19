"""The payment voucher (支付凭证) of a batch as an A4 PDF (WeasyPrint, Noto Sans CJK from
Debian's fonts-noto-cjk), with the total in Chinese capital figures (cn2an). Accounts are
masked: the voucher is for the files, the full account only goes to the bank in the export."""

from django.template.loader import render_to_string
from django.utils import timezone

from zhigong.mutualaid import queries_payments as queries
from zhigong.mutualaid import rules_payments as rules
from zhigong.mutualaid.models import PaymentBatch


def voucher_context(batch: PaymentBatch) -> dict:
    payouts = list(queries.payouts_of(batch))
    live = [p for p in payouts if p.state != rules.FAILED]
    total = sum(p.amount_fen for p in live)
    return {"batch": batch, "pool": batch.pool, "payouts": payouts, "total_fen": total,
            "total_words": rules.capital_figures(total), "printed_at": timezone.localtime()}


def voucher_pdf(batch: PaymentBatch) -> bytes:
    from weasyprint import HTML

    html = render_to_string("mutualaid/payments/voucher_pdf.html", voucher_context(batch))
    return HTML(string=html).write_pdf()
