import io

from django.core.management import call_command

from intersector.collaborations.models import Collaboration, Partner, Sector
from intersector.dashboards.views import LIST_PAGE_SIZE
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG

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

    # The shortened lists lead to their "Show all" pages, and back.
    page.get_by_role("link", name="All 5 organisations").click()
    page.get_by_role("heading", level=1, name="Partner organisations").wait_for()
    assert page.locator("#dash-list tbody tr").count() == 5
    assert axe_violations(page) == []
    page.get_by_role("link", name="← Dashboard").click()
    page.get_by_role("heading", level=1, name="Dashboard").wait_for()


def _many_organisations():
    collaboration = Collaboration.objects.get(slug=DEMO_SLUG)
    Partner.objects.bulk_create(
        Partner(
            collaboration=collaboration, name=f"Zz Organisation {i:02d}", sector=Sector.COMMUNITY
        )
        for i in range(LIST_PAGE_SIZE)
    )
    return 5 + LIST_PAGE_SIZE


def test_show_all_pages_in_place_with_htmx(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    total = _many_organisations()
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"{BASE}/dashboard/")
    page.get_by_role("link", name=f"All {total} organisations").click()
    page.get_by_role("heading", level=1, name="Partner organisations").wait_for()
    rows = page.locator("#dash-list tbody tr")
    assert rows.count() == LIST_PAGE_SIZE
    heading = page.get_by_role("heading", level=1).element_handle()
    next_link = page.get_by_role("link", name="Next →")
    next_link.focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"{LIST_PAGE_SIZE + 1}–{total} of {total}").wait_for()
    assert rows.count() == total - LIST_PAGE_SIZE
    assert "?page=2&" in page.url  # a link to this page (with its sort), and Back works
    assert heading.is_visible()  # swapped in place: the same page, not a new one
    assert axe_violations(page) == []
    page.go_back()
    page.get_by_text(f"1–{LIST_PAGE_SIZE} of {total}").wait_for()


def test_show_all_pages_without_javascript(new_page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    total = _many_organisations()
    page = new_page(java_script_enabled=False)
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"{BASE}/dashboard/organisations/")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/organisations/?page=2&sort=name")
    assert page.locator("#dash-list tbody tr").count() == total - LIST_PAGE_SIZE
    assert "Zz Organisation" in page.locator("#dash-list tbody tr").last.inner_text()


def test_observer_reads_the_dashboard(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "observer@example.org", DEMO_PASSWORD)
    page.goto(f"{BASE}/dashboard/")
    page.get_by_role("heading", level=1, name="Dashboard").wait_for()
    page.get_by_text("Download CSV").click()
    assert page.get_by_role("link", name="Partners (CSV)").count() == 0
    assert page.get_by_role("link", name="Tasks (CSV)").count() == 1
    assert axe_violations(page) == []
