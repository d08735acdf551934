import io

import pikepdf
from pypdf import PdfReader

from intersector.reports.rendering import pdf_from_html, report_html
from intersector.reports.selectors import build_report


def render(collaboration, scope="all", paper="a4"):
    report = build_report(collaboration, scope=scope, paper=paper, for_pdf=True)
    return pdf_from_html(report_html(report))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))
