"""The resolution as an A4 PDF (WeasyPrint, Noto Sans CJK from Debian's fonts-noto-cjk).

WeasyPrint needs Pango at run time (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported
here, on first use, so that the rest of the site runs where only the PDF is missing."""

from django.template.loader import render_to_string


def resolution_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("democracy/resolution_pdf.html", context)
    return HTML(string=html).write_pdf()
