import io

from django.core.management import call_command

from intersector.collaborations.management.commands.seed_demo import DEMO_PASSWORD

from .conftest import axe_violations, sign_in

BASE = "/c/riverton-youth-jobs-compact"


def test_facilitator_opens_both_dashboards_and_pages_the_feed(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", level=1, name="Your collaborations at a glance").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Late milestones").click()
    page.wait_for_url("**/dashboard/?sort=late")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"

    page.get_by_role("link", name="Riverton Youth Jobs Compact", exact=True).click()
    page.get_by_role("heading", level=1, name="Dashboard").wait_for()
    assert (
        page.get_by_role("link", name="Dashboard", exact=True).last.get_attribute("aria-current")
        == "page"
    )
    page.get_by_role("heading", name="partners have not contributed yet").wait_for()
    assert axe_violations(page) == []

    # The feed pages in place (htmx), without reloading the dashboard.
    feed = page.locator("#activity-feed")
    first_item = feed.locator(".feed__item").first.inner_text()
    feed.get_by_role("link", name="Older").click()
    page.get_by_text("Page 2").wait_for()
    assert feed.locator(".feed__item").first.inner_text() != first_item
    assert axe_violations(page) == []

    page.get_by_text("Download CSV").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Milestones (CSV)").click()
    assert download.value.suggested_filename == "riverton-youth-jobs-compact-milestones.csv"


def test_observer_reads_the_dashboard(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "observer@example.org", DEMO_PASSWORD)
    page.goto(f"{BASE}/dashboard/")
    page.get_by_role("heading", level=1, name="Dashboard").wait_for()
    page.get_by_text("Download CSV").click()
    assert page.get_by_role("link", name="Partners (CSV)").count() == 0
    assert page.get_by_role("link", name="Tasks (CSV)").count() == 1
    assert axe_violations(page) == []
