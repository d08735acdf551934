from io import StringIO

from django.core.management import call_command

from intersector.collaborations.models import Partner
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD

from .conftest import axe_violations, sign_in


def test_facilitator_creates_collaboration_and_adds_partner_inline(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.get_by_text("Riverton Youth Jobs Compact").first.wait_for()

    page.get_by_role("link", name="New collaboration").click()
    page.get_by_label("Title").fill("Safe Streets Partnership")
    page.get_by_label("The problem").fill("Traffic deaths near schools keep rising.")
    page.get_by_label("Mandated").check()
    page.get_by_role("button", name="Create collaboration").click()
    page.get_by_role("heading", level=1, name="Safe Streets Partnership").wait_for()

    page.get_by_role("navigation", name="Collaboration").get_by_role(
        "link", name="Partners"
    ).click()
    page.get_by_label("Organisation name").fill("Department of Transport")
    page.get_by_label("Sector").select_option("government")
    page.get_by_label("Influence on the issue").fill("5")
    page.get_by_role("button", name="Add partner").click()
    # Added inline (htmx): the row appears without a page load, and the form is blank again.
    page.get_by_role("rowheader", name="Department of Transport").wait_for()
    assert page.get_by_label("Organisation name").input_value() == ""

    page.reload()
    assert page.get_by_role("rowheader", name="Department of Transport").is_visible()
    assert Partner.objects.get(name="Department of Transport").influence == 5
    assert axe_violations(page) == []


def test_partner_edit_inline_shows_errors_then_saves(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto("/c/riverton-youth-jobs-compact/partners/")
    page.get_by_role("link", name="Edit Harbor Community Foundation").click()
    form = page.get_by_role("form", name="Edit Harbor Community Foundation")
    form.get_by_label("Influence on the issue").fill("9")
    form.get_by_role("button", name="Save").click()
    form.get_by_text("Ensure this value is less than or equal to 5.").wait_for()
    form.get_by_label("Influence on the issue").fill("2")
    form.get_by_label("Engagement status").select_option("engaged")
    form.get_by_role("button", name="Save").click()
    row = page.locator(f"#partner-{Partner.objects.get(name='Harbor Community Foundation').pk}")
    row.get_by_text("Engaged").wait_for()
    page.reload()
    assert Partner.objects.get(name="Harbor Community Foundation").influence == 2
