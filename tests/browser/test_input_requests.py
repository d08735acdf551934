"""A facilitator asks an organisation for its perspectives from the tool page; the
organisation's member finds it under "Waiting for you" and follows it to the tool; the
calendar address is copied from the preferences page."""

import os

import pytest
from django.core.management import call_command

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from intersector.worksheets.models import InputRequest
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a directory to keep screenshots of the pages (to look at them by eye).
SHOTS = os.environ.get("INTERSECTOR_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_ask_from_the_tool_page_and_the_partner_sees_it_waiting(db, new_page):
    call_command("seed_demo", verbosity=0)
    InputRequest.objects.all().delete()
    facilitator = new_page()
    sign_in(facilitator, "facilitator@example.org", DEMO_PASSWORD)
    facilitator.goto(f"/c/{DEMO_SLUG}/diagnose/tools/engage-potential-partners/")
    facilitator.get_by_role("link", name="Ask organisations for their perspectives").click()
    assert facilitator.get_by_label("Tool").input_value() == "diagnose/engage-potential-partners"
    facilitator.get_by_label("Bright Futures Youth Network").check()
    facilitator.get_by_label("Answers wanted by").fill("2099-01-31")
    facilitator.get_by_label("Message").fill("Before the steering meeting, please.")
    shot(facilitator, "input-request-form")
    facilitator.get_by_role("button", name="Send the request").click()
    facilitator.wait_for_url(lambda url: "/dashboard/" in url)
    requests = facilitator.locator("section[aria-labelledby=requests-heading]")
    assert "0 of 1 answered" in requests.inner_text()
    assert "Not yet" in requests.inner_text()
    shot(facilitator, "dashboard-requests")

    partner = new_page()
    sign_in(partner, "partner@example.org", DEMO_PASSWORD)
    partner.goto(f"/c/{DEMO_SLUG}/")
    waiting = partner.locator("section[aria-labelledby=waiting-heading]")
    assert "Before the steering meeting" in waiting.inner_text()
    shot(partner, "overview-waiting")
    waiting.get_by_role("link").first.click()
    assert "/diagnose/tools/engage-potential-partners/" in partner.url


def test_the_calendar_address_is_copied(db, new_page, browser):
    call_command("seed_demo", verbosity=0)
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto("/notifications/preferences/")
    address = page.get_by_label("Your calendar address").input_value()
    assert "/calendar/" in address and address.endswith(".ics")
    page.get_by_role("button", name="Copy").click()
    page.get_by_role("button", name="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address
    shot(page, "preferences-calendar")
    page.get_by_role("button", name="Get a new address").click()
    page.wait_for_url(lambda url: "/notifications/preferences/" in url)
    assert page.get_by_label("Your calendar address").input_value() != address
