"""The contribution notice (缴费通知单) as an A4 PDF (WeasyPrint, Noto Sans CJK), imported on
first use like democracy/pdf.py."""

from django.template.loader import render_to_string

from zhigong.mutualaid import actions_contributions, queries_contributions


def invoice_context(invoice) -> dict:
    invoice.refresh_from_db()
    return {"invoice": invoice, "lines": list(queries_contributions.lines(invoice)),
            "payments": list(queries_contributions.payments(invoice)),
            "owed_fen": actions_contributions.owed_fen(invoice),
            "credit_fen": queries_contributions.enterprise_credit_fen(invoice.enterprise_id, invoice.enrolment.pool),
            "due_fen": invoice.total_fen - invoice.union_fen, "plan": invoice.enrolment.version.plan,
            "version": invoice.enrolment.version, "pool": invoice.enrolment.pool}


def invoice_pdf(invoice) -> bytes:
    from weasyprint import HTML

    html = render_to_string("mutualaid/contributions/invoice_pdf.html", invoice_context(invoice))
    return HTML(string=html).write_pdf()
