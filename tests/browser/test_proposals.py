"""Asking partners to agree, end to end: a facilitator opens a proposal, two partners respond
(one objects, with a reason), the facilitator revises the text, the second round passes,
and the PDF carries both rounds."""

import io
import re
import subprocess

from django.core.management import call_command
from playwright.sync_api import expect

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from intersector.worksheets.models import Consensus, Proposal
from tests.tasks import run_queued_tasks

from .conftest import axe_violations, sign_in

TOOL = f"/c/{DEMO_SLUG}/design/tools/establish-a-governance-structure/"
QUESTION = "design.governance.fair-seats"
QID = "#q-design--governance--fair-seats"
FIRST = "One seat per organisation; the youth panel holds two."
REVISED = "One seat per organisation; the youth panel holds two and chairs every second meeting."


def respond(page, position: str, reason: str = "") -> None:
    page.goto(TOOL)
    proposal = page.locator(f"{QID}-proposal")
    # The positions are a radio group, chosen here with the keyboard.
    group = proposal.get_by_role("group", name=re.compile("position"))
    group.get_by_role("radio").first.focus()
    radio = group.get_by_role("radio", name=position, exact=True)
    radio.check()
    assert radio.is_checked()
    button = proposal.get_by_role("button", name=re.compile("our response"))
    if reason:
        # First without the reason it needs: refused in place, the choice kept.
        button.click()
        proposal.get_by_role("alert").get_by_text("Give a reason").wait_for()
        assert group.get_by_role("radio", name=position, exact=True).is_checked()
        proposal.get_by_label(re.compile("^Reason")).fill(reason)
    button.click()
    proposal.get_by_text("Your organisation's response is recorded.").wait_for()
    # Recorded: the form keeps what was sent, its error gone, its button now a change.
    assert proposal.get_by_role("alert").count() == 0
    assert group.get_by_role("radio", name=position, exact=True).is_checked()
    assert proposal.get_by_label(re.compile("^Reason")).input_value() == reason
    proposal.get_by_role("button", name="Change our response").wait_for()
    assert "(recorded by" in group.inner_text()


def facilitator_write_and_ask(page, text: str) -> None:
    page.goto(TOOL)
    agreed = page.locator(f"{QID}-agreed")
    agreed.get_by_label("Agreed answer").fill(text)
    agreed.get_by_role("button", name="Save agreed answer").click()
    page.locator(f"{QID}-agreed .agreed__saved").get_by_text("Saved at").wait_for()
    page.locator(f"{QID}-agreed").get_by_role("button", name=re.compile("Ask partners")).click()
    page.locator(f"{QID}-proposal").get_by_role(
        "heading", name=re.compile("Partners are asked to agree")
    ).wait_for()


def close(page, statement: str) -> None:
    page.goto(TOOL)
    proposal = page.locator(f"{QID}-proposal")
    proposal.get_by_label(re.compile("^Outcome statement")).fill(statement)
    proposal.get_by_role("button", name="Close now and decide").click()
    page.locator(f"{QID}-agreed .proposal__latest").wait_for()


def test_two_rounds_objection_then_agreement_and_the_pdf_keeps_both(new_page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    facilitator, youth, employer = new_page(), new_page(), new_page()
    sign_in(facilitator, "facilitator@example.org", DEMO_PASSWORD)
    sign_in(youth, "partner@example.org", DEMO_PASSWORD)
    sign_in(employer, "employer@example.org", DEMO_PASSWORD)

    facilitator_write_and_ask(facilitator, FIRST)
    respond(youth, "Agree")
    respond(employer, "Object", "Two seats for one group outvotes the employers.")
    # The tally and the organisation's row come with the page's next live poll.
    expect(employer.locator(f"{QID}-tally")).to_contain_text(
        "2 of 3 organisations responded (67%)."
    )
    assert axe_violations(employer) == []
    employer_view = employer.locator(f"{QID}-proposal").inner_text()
    assert "Two seats for one group outvotes the employers." in employer_view
    assert "Riverton Workforce Development Agency" in employer_view  # not responded yet
    # The facilitator's page, open since they asked: the round redrawn beside the editor.
    expect(facilitator.locator(f"{QID}-round")).to_contain_text(
        "2 of 3 organisations responded (67%)."
    )
    expect(facilitator.locator(f"{QID}-round")).to_contain_text("outvotes the employers")

    close(facilitator, "Revise: the seats question goes back to the steering group.")
    latest = facilitator.locator(f"{QID}-agreed .proposal__latest").inner_text()
    assert "Round 1 closed" in latest and "Outcome: Not passed." in latest

    facilitator_write_and_ask(facilitator, REVISED)
    assert Proposal.objects.get(question_key=QUESTION, round=2).text == REVISED
    respond(youth, "Agree")
    respond(employer, "Agree with reservations", "Review the chairing after a year.")
    close(facilitator, "Adopted.")
    # The consent record of the closed rounds, opened, is accessible too.
    facilitator.locator(f"{QID}-agreed details.proposal__history summary").click()
    assert axe_violations(facilitator) == []
    agreed = facilitator.locator(f"{QID}-agreed").inner_text()
    assert "Agreed by the partner organisations in round 2" in agreed
    consensus = Consensus.objects.get(question_key=QUESTION)
    assert consensus.status == Consensus.Status.AGREED
    assert consensus.agreed_by == Proposal.objects.get(question_key=QUESTION, round=2)

    # The PDF of the Design stage: the consent record of both rounds.
    facilitator.goto(f"/c/{DEMO_SLUG}/report/")
    facilitator.get_by_role("button", name="Prepare PDF — Design stage").click()
    facilitator.get_by_role("heading", level=1, name="PDF report").wait_for()
    run_queued_tasks()
    link = facilitator.get_by_role("link", name="Download PDF")
    link.wait_for()
    with facilitator.expect_download() as download:
        link.click()
    text = subprocess.run(
        ["pdftotext", "-layout", str(download.value.path()), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    words = re.sub(r"\s+", " ", text)
    assert "Consent record" in words
    assert "Two seats for one group outvotes the employers." in words
    assert "Review the chairing after a year." in words
    assert "Not passed" in words and "Passed" in words
    assert "Outcome statement: Adopted." in words
