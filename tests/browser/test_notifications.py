"""A mention in the browser: a partner completes another organisation's name after "@",
posts the comment; that organisation's member sees the bell count go up, opens the
notice and lands on the comment."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.tasks import run_queued_tasks

from .conftest import axe_violations, sign_in

TOOL = "/c/riverton-youth-jobs-compact/diagnose/tools/engage-potential-partners/"
QID = "q-diagnose--engage--who-is-affected"


@pytest.fixture
def demo(transactional_db):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def bell_count(page) -> int:
    count = page.locator("#bell-count")
    return int(re.match(r"\d+", count.inner_text()).group()) if count.count() else 0


def test_a_mentioned_organisation_hears_of_it_and_lands_on_the_comment(new_page, demo):
    employer = new_page()
    sign_in(employer, "employer@example.org", DEMO_PASSWORD)
    before = bell_count(employer)

    partner = new_page()
    sign_in(partner, "partner@example.org", DEMO_PASSWORD)
    partner.goto(TOOL)
    field = partner.locator(f"#{QID}-comment")
    field.click()
    field.press_sequentially("Could @")
    listbox = partner.get_by_role("listbox", name="Names to mention")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert options.count() > 1  # every member and organisation, the first few
    field.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    assert field.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    field.press("Escape")
    expect(listbox).to_be_hidden()
    assert field.input_value() == "Could @"
    field.press_sequentially("North")
    option = listbox.get_by_role("option", name=re.compile("Northfield Manufacturing"))
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert axe_violations(partner) == []
    field.press("Enter")  # chooses the highlighted name; the comment is not sent yet
    expect(listbox).to_be_hidden()
    field.press_sequentially("host the mentors?")
    assert field.input_value() == "Could @Northfield Manufacturing host the mentors?"
    partner.locator(f"#{QID}-comments").get_by_role("button", name="Comment").click()
    expect(partner.locator(f"#{QID}-comments .comment__text").last).to_have_text(
        "Could @Northfield Manufacturing host the mentors?"
    )

    run_queued_tasks()  # the fan-out, as the worker would

    employer.goto("/")
    assert bell_count(employer) == before + 1
    employer.locator(".bell").click()
    employer.get_by_role(
        "link", name=re.compile("mentioned you or your organisation")
    ).first.click()
    employer.wait_for_url(re.compile(r"#comment-\d+$"))
    anchor = employer.url.rsplit("#", 1)[1]
    comment = employer.locator(f"#{anchor}")
    expect(comment).to_be_visible()
    expect(comment).to_contain_text("host the mentors?")
    assert comment.evaluate("element => element.matches(':target')")
    assert bell_count(employer) == before
