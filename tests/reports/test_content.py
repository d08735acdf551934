"""The report tells the demo collaboration's story: answers, perspectives and every stage's
records; its queries do not grow with the data; the SVGs reach the PDF."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assess.models import Lesson
from bench.synthetic import build_synthetic
from design.models import Indicator
from implement.models import Milestone
from intersector.collaborations.models import Collaboration
from intersector.reports.rendering import report_html
from intersector.reports.selectors import build_report
from intersector.worksheets.models import Consensus, Perspective

from .helpers import open_pdf, pdf_text, render

DEMO = "riverton-youth-jobs-compact"


def squash(text: str) -> str:
    """PDF text comes back wrapped and hyphen-free: compare words only."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker):
    """The seeded demo collaboration (data in every stage) and its PDF: made once for the
    tests that only read it, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _demo_pdf()
        transaction.set_rollback(True)
    return built


def _demo_pdf():
    call_command("seed_demo", verbosity=0)
    collaboration = Collaboration.objects.get(slug=DEMO)
    rendered = render(collaboration)
    facts = {
        "agreed": [
            c.text
            for c in Consensus.objects.filter(
                collaboration=collaboration, status=Consensus.Status.AGREED
            )
        ],
        "partners": list(collaboration.partners.values_list("name", flat=True)),
        "perspective": Perspective.objects.filter(collaboration=collaboration)
        .exclude(text="")
        .order_by("-version")
        .first()
        .text,
        "milestone": Milestone.objects.filter(collaboration=collaboration).first().title,
        "lesson": Lesson.objects.filter(collaboration=collaboration).first().title,
        "indicator": Indicator.objects.filter(collaboration=collaboration).first().name,
    }
    return rendered, squash(pdf_text(rendered.pdf)), facts


def test_demo_pdf_holds_every_agreed_answer_and_every_partner(demo_pdf):
    rendered, text, facts = demo_pdf
    assert facts["agreed"], "the demo has agreed answers"
    for answer in facts["agreed"]:
        assert squash(answer)[:60] in text
    for name in facts["partners"]:
        assert name in text
    assert "agreed answer" in text.lower()  # (small caps in print)


def test_demo_pdf_tells_every_stage_story(demo_pdf):
    rendered, text, facts = demo_pdf
    assert squash(facts["perspective"])[:60] in text
    for key in ("milestone", "lesson", "indicator"):
        assert facts[key] in text, key
    for heading in (
        "Stakeholder map",
        "Why no sector can solve it alone",
        "The decision: can collaboration help?",
        "Shared vision",
        "Roadmap",
        "Responsibilities",
        "Governance and project management",
        "Milestones",
        "Progress updates",
        "Feedback log",
        "Champions and sponsors",
        "Wins worth celebrating",
        "Evaluation plan",
        "Measures of success over time",
        "Successes and setbacks",
        "Lessons learned",
    ):
        assert heading in text, heading
    # SVG text is drawn as text: the map's quadrant labels and the charts' target labels.
    assert "Key players: work closely" in text
    assert "Target" in text and "Baseline" in text


def test_demo_pdf_has_page_x_of_y_and_pdf_ua_metadata(demo_pdf):
    rendered, text, facts = demo_pdf
    n = rendered.page_count
    assert n >= 10
    assert f"page 1 of {n}" in text and f"page {n} of {n}" in text
    pdf = open_pdf(rendered.pdf)
    assert len(pdf.pages) == n
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    with pdf.open_metadata() as meta:
        assert str(meta.get("pdfuaid:part")) == "1"
        assert "Riverton Youth Jobs Compact" in str(meta.get("dc:title"))


def _report_queries(collaboration) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_html(build_report(collaboration, scope="all", paper="a4", for_pdf=True))
    return len(queries)


@pytest.mark.django_db
def test_report_query_count_is_the_same_at_two_data_sizes():
    small = build_synthetic(partners=2, scale=2, slug="small")
    large = build_synthetic(partners=15, scale=8, slug="large")
    assert _report_queries(small) == _report_queries(large)
    assert _report_queries(large) <= 45


@pytest.mark.django_db
def test_answers_are_fetched_once_per_report_not_per_tool_or_question():
    collaboration = build_synthetic(partners=3, scale=1)
    with CaptureQueriesContext(connection) as queries:
        report_html(build_report(collaboration, scope="all", paper="a4", for_pdf=True))
    answer_queries = [
        q["sql"]
        for q in queries
        if "worksheets_perspective" in q["sql"] or "worksheets_consensus" in q["sql"]
    ]
    assert len(answer_queries) == 2


@pytest.mark.django_db
def test_unanswered_questions_are_listed_compactly(collab, partner_org, facilitator):
    html = report_html(build_report(collab, scope="diagnose", paper="a4", for_pdf=True))
    assert "questions not answered yet" in html
    assert "Agreed answer" not in html


@pytest.mark.django_db
def test_print_view_and_pdf_share_the_svgs(collab, partner_org, facilitator):
    html = report_html(build_report(collab, scope="diagnose", paper="a4", for_pdf=True))
    assert '<svg class="chart chart--map"' in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_user_text_in_answers_and_stage_records_reaches_the_report_escaped(db):
    from design.models import Vision

    collaboration = build_synthetic(partners=1, scale=1, questions=1)
    hostile = '<img src="http://127.0.0.1:9/x"><style>@import "file:///etc/passwd";</style>'
    Perspective.objects.filter(collaboration=collaboration).update(text=hostile)
    Vision.objects.filter(collaboration=collaboration).update(statement=hostile)
    collaboration.partners.update(name='<b>Evil</b> "Org"')
    html = report_html(build_report(collaboration, scope="all", paper="a4", for_pdf=True))
    assert "<img src=" not in html and "<style>@import" not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html  # also inside the stakeholder map's SVG
