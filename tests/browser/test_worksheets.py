"""Worksheets in the browser: autosave, conflicts, agreed answers, no-JS saves, axe."""

import datetime
import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD
from intersector.worksheets.models import Consensus, Perspective
from intersector.worksheets.selectors import OTHERS_SHOWN

from .conftest import axe_violations, sign_in

TOOL = "/c/riverton-youth-jobs-compact/diagnose/tools/engage-potential-partners/"
KEY = "diagnose.engage.who-is-affected"
QID = "q-diagnose--engage--who-is-affected"


@pytest.fixture
def demo(transactional_db):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def wait_until(condition, timeout=10.0):
    """Poll the database (the live server writes it from another thread) until true."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def latest_text(key=KEY):
    row = Perspective.objects.filter(question_key=key).order_by("-version").first()
    return row.text if row else None


def test_partner_types_sees_saved_and_text_survives_reload(page, demo):
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto(TOOL)
    field = page.locator(f"#{QID}-text")
    field.fill("Families on the east side, and the young people themselves.")
    status = page.locator(f"#{QID}-status")
    status.get_by_text(re.compile(r"Saved at \d\d:\d\d")).wait_for()
    page.reload()
    assert page.locator(f"#{QID}-text").input_value() == (
        "Families on the east side, and the young people themselves."
    )
    assert latest_text() == "Families on the east side, and the young people themselves."
    assert axe_violations(page) == []


def test_typing_fast_never_conflicts_with_own_saves(page, demo):
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    # The page's timers (the autosave's delay) move when the test says, not with the wall clock.
    start = datetime.datetime(2030, 3, 4, 10, 0)
    page.clock.install(time=start)
    page.goto(TOOL)
    page.clock.pause_at(start + datetime.timedelta(minutes=1))
    field = page.locator(f"#{QID}-text")
    field.click()
    for word in ["Young", " people", " and", " their", " families."]:
        field.press_sequentially(word, delay=40)
        page.clock.run_for(900)  # a pause: an autosave fires while typing continues
    expect(page.locator(f"#{QID}-status")).to_contain_text("Saved at")
    page.clock.resume()
    # Every save has answered once the last one is stored and the status still says saved.
    wait_until(lambda: latest_text() == "Young people and their families.")
    expect(page.locator(f"#{QID}-status")).not_to_contain_text("Not saved")
    assert latest_text() == "Young people and their families."


def test_conflict_shows_other_text_and_keeps_mine_until_merged(new_page, demo):
    first, second = new_page(), new_page()
    sign_in(first, "partner@example.org", DEMO_PASSWORD)
    sign_in(second, "partner@example.org", DEMO_PASSWORD)
    first.goto(TOOL)
    second.goto(TOOL)  # both start from the same version

    first.locator(f"#{QID}-text").fill("Alpha: residents of the east side.")
    first.locator(f"#{QID}-status").get_by_text("Saved at").wait_for()

    second.locator(f"#{QID}-text").fill("Beta: local employers.")
    second.locator(f"#{QID}-status").get_by_text("Not saved").wait_for()
    conflict = second.locator(f"#{QID}-conflict")
    assert "Alpha: residents of the east side." in conflict.inner_text()
    assert second.locator(f"#{QID}-text").input_value() == "Beta: local employers."
    assert latest_text() == "Alpha: residents of the east side."

    second.locator(f"#{QID}-text").fill("Residents of the east side, and local employers.")
    second.locator(f"#{QID}-status").get_by_text("Saved at").wait_for()
    assert latest_text() == "Residents of the east side, and local employers."
    assert second.locator(f"#{QID}-conflict").inner_text().strip() == ""


def test_facilitator_records_agreed_answer_and_partner_sees_it(new_page, demo):
    facilitator, partner = new_page(), new_page()
    sign_in(facilitator, "facilitator@example.org", DEMO_PASSWORD)
    facilitator.goto(TOOL)
    agreed = facilitator.locator(f"#{QID}-agreed")
    agreed.get_by_label("Agreed answer").fill("Young people and families on the east side.")
    agreed.get_by_label("Status").select_option("agreed")
    agreed.get_by_role("button", name="Save agreed answer").click()
    facilitator.locator(f"#{QID}-agreed").get_by_text("Saved at").wait_for()
    assert Consensus.objects.filter(question_key=KEY, status="agreed").exists()

    sign_in(partner, "partner@example.org", DEMO_PASSWORD)
    partner.goto(TOOL)
    section = partner.locator(f"#{QID}-agreed")
    section.get_by_text("Young people and families on the east side.").wait_for()
    assert section.get_by_text("Agreed", exact=True).is_visible()


def test_save_works_with_javascript_disabled(new_page, demo):
    page = new_page(java_script_enabled=False)
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto(TOOL)
    page.locator(f"#{QID}-text").fill("Saved without JavaScript.")
    page.locator(f"#{QID}").get_by_role("button", name="Save our perspective").click()
    page.wait_for_url(re.compile(f"#{QID}$"))
    assert page.locator(f"#{QID}-text").input_value() == "Saved without JavaScript."
    assert latest_text() == "Saved without JavaScript."


def test_stage_and_tool_pages_pass_axe_as_facilitator(page, demo):
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto("/c/riverton-youth-jobs-compact/diagnose/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Could a cross-sector")
    assert axe_violations(page) == []
    page.goto(TOOL)
    assert axe_violations(page) == []
    page.goto("/c/riverton-youth-jobs-compact/")
    assert axe_violations(page) == []


def test_revision_history_loads_when_opened_and_without_javascript(new_page, demo):
    key, qid = "diagnose.engage.missing-sector", "q-diagnose--engage--missing-sector"
    page = new_page()
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto(TOOL)
    history = page.locator(f"#{qid} details.history")
    assert history.locator(".history__entry").count() == 0  # not on the page until opened
    history.locator("summary").click()
    history.locator(".history__entry").first.wait_for()
    assert "Riverton Workforce Development Agency" in history.inner_text()
    assert axe_violations(page) == []
    page.goto(f"/c/riverton-youth-jobs-compact/worksheets/{key}/history/")
    assert axe_violations(page) == []

    no_js = new_page(java_script_enabled=False)
    sign_in(no_js, "partner@example.org", DEMO_PASSWORD)
    no_js.goto(TOOL)
    no_js.locator(f"#{qid} details.history summary").click()
    no_js.locator(f"#{qid}").get_by_role("link", name="Open the revision history").click()
    no_js.wait_for_url(re.compile(f"/worksheets/{re.escape(key)}/history/$"))
    assert no_js.get_by_role("heading", level=1).inner_text().startswith("Which sector")
    assert no_js.locator(".history__entry").count() >= 2


def test_show_more_perspectives_loads_the_rest_when_opened(page, demo):
    from django.utils import timezone

    from intersector.collaborations.models import Collaboration, Partner

    collab = Collaboration.objects.get(slug="riverton-youth-jobs-compact")
    for i in range(12):
        partner = Partner.objects.create(collaboration=collab, name=f"Zeta Org {i:02}")
        Perspective.objects.create(
            collaboration=collab,
            question_key=KEY,
            partner=partner,
            version=1,
            text=f"View number {i:02}.",
            created_at=timezone.now(),
        )
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto(TOOL)
    question = page.locator(f"#{QID}")
    more = question.locator("details.perspectives__more")
    assert question.locator(".perspective__label", has_text="Zeta Org 11").count() == 0
    more.locator("summary").click()
    more.get_by_text("View number 11.").wait_for()
    shown = OTHERS_SHOWN + 1  # the first others, and the partner's own
    assert more.locator(".perspective").count() == question.locator(".perspective").count() - shown
    assert axe_violations(page) == []
