"""The evaluation reports as A4 PDFs (WeasyPrint, Noto Sans CJK from Debian's fonts-noto-cjk),
with the charts drawn as SVG on the server (svg.py): WeasyPrint runs no script.

WeasyPrint needs Pango at run time; it is imported here, on first use, so that the rest of the
site runs where only the PDF is missing."""

from django.template.loader import render_to_string


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def enterprise_pdf(context: dict) -> bytes:
    return _render("evaluation/enterprise_pdf.html", context)


def federation_pdf(context: dict) -> bytes:
    return _render("evaluation/federation_pdf.html", context)
