"""The PDF opens, tells the story, and carries its PDF/UA structure."""

import re

import pytest

from intersector.collaborations.models import Sector
from intersector.worksheets.toolkit import stages
from tests.conftest import make_partner

from .helpers import open_pdf, pdf_text, render


@pytest.fixture
def story(collab, partner_org, other_partner_org, facilitator):
    collab.context = "Ünïcode context: café, Zürich — “quotes”."
    collab.save()
    make_partner(collab, "Riverton City Hall", sector=Sector.GOVERNMENT, expertise="Job centres")
    return collab


def test_whole_report_has_cover_contents_every_stage_and_page_x_of_y(story):
    rendered = render(story)
    text = pdf_text(rendered.pdf)
    assert rendered.page_count >= 6  # cover, contents, collaboration, four stages
    assert "Youth Jobs Compact" in text
    for name in ("Bright Futures", "Northfield Manufacturing", "Riverton City Hall"):
        assert name in text
    assert "Contents" in text
    for stage in stages():
        assert stage.name in text
        assert stage.question in text
        for tool in stage.tools:
            assert tool.name in text
    assert "café, Zürich" in text
    assert f"page 1 of {rendered.page_count}" in text
    assert f"page {rendered.page_count} of {rendered.page_count}" in text
    assert "Fran Facilitator" in text


def test_contents_gives_page_numbers(story):
    text = pdf_text(render(story).pdf)
    assert re.search(r"The collaboration[ .…]*3", text)


def test_stage_report_holds_only_that_stage(story):
    text = pdf_text(render(story, scope="design").pdf)
    assert "Design stage" in text
    assert "Establish a Governance Structure" in text
    assert "Engage Potential Partners" not in text  # a Diagnose tool


@pytest.mark.parametrize(("paper", "width", "height"), [("a4", 595, 842), ("letter", 612, 792)])
def test_paper_size_is_a_choice(story, paper, width, height):
    pdf = open_pdf(render(story, paper=paper).pdf)
    box = [round(float(v)) for v in pdf.pages[0].mediabox]
    assert box[2:] == [width, height]


def test_pdf_is_tagged_pdf_ua_with_title_language_and_author(story):
    pdf = open_pdf(render(story).pdf)
    root = pdf.Root
    assert bool(root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in root
    assert str(root.Lang) == "en"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert "Youth Jobs Compact" in str(pdf.docinfo["/Title"])
    assert str(pdf.docinfo["/Author"]) == "Youth Jobs Compact"
    with pdf.open_metadata() as meta:
        assert str(meta.get("pdfuaid:part")) == "1"
        assert "Youth Jobs Compact" in str(meta.get("dc:title"))


def test_tables_have_header_cells_with_scope(story):
    from intersector.reports.rendering import report_html
    from intersector.reports.selectors import build_report

    html = report_html(build_report(story, scope="all", paper="a4", for_pdf=True))
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert html.count("<h1") == 1
