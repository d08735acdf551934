from io import StringIO

from django.core.management import call_command

from design.models import Indicator
from intersector.collaborations.management.commands.seed_demo import DEMO_PASSWORD
from intersector.collaborations.models import Partner

from .conftest import axe_violations, sign_in

SLUG = "riverton-youth-jobs-compact"


def test_facilitator_moves_a_partner_on_the_stakeholder_map(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    harbor = Partner.objects.get(name="Harbor Community Foundation")
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/diagnose/tools/engage-potential-partners/")
    dot = page.locator(f"#map-dot-{harbor.pk}")
    before = dot.get_attribute("data-y")
    assert (
        page.locator(".map-dot").count() == Partner.objects.filter(collaboration__slug=SLUG).count()
    )
    assert axe_violations(page) == []

    page.get_by_role("link", name="Move Harbor Community Foundation").click()
    form = page.get_by_role("form", name="Place Harbor Community Foundation on the map")
    form.get_by_label("Influence on the issue").fill("7")
    form.get_by_role("button", name="Save").click()
    form.get_by_text("Ensure this value is less than or equal to 5.").wait_for()
    form.get_by_label("Influence on the issue").fill("1")
    form.get_by_role("button", name="Save").click()
    page.locator(f"#map-dot-{harbor.pk}[data-influence='1']").wait_for()
    assert page.locator(f"#map-dot-{harbor.pk}").get_attribute("data-y") != before
    assert page.locator(f"#map-row-{harbor.pk} td").nth(1).inner_text().startswith("1")
    harbor.refresh_from_db()
    assert harbor.influence == 1
    assert axe_violations(page) == []


def test_facilitator_adds_an_indicator_inline(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/design/tools/agree-on-measures-of-success/")
    assert axe_violations(page) == []
    page.get_by_text("Add an indicator").click()
    form = page.get_by_role("form", name="Add an indicator")
    form.get_by_label("Goal").select_option(label="Build lasting employer links")
    form.get_by_label("Indicator").fill("Employer breakfasts held")
    form.get_by_label("Baseline").fill("0")
    form.get_by_label("Target", exact=True).fill("0")
    form.get_by_role("button", name="Add").click()
    page.get_by_text("A target equal to the baseline measures no change.").wait_for()
    form = page.get_by_role("form", name="Add an indicator")
    form.get_by_label("Target", exact=True).fill("4")
    form.get_by_label("Owning partner").select_option(
        label="Riverton Workforce Development Agency (Government)"
    )
    form.get_by_role("button", name="Add").click()
    page.get_by_role("rowheader", name="Employer breakfasts held").wait_for()
    assert Indicator.objects.get(name="Employer breakfasts held").target == 4
    assert axe_violations(page) == []


def test_roadmap_and_governance_pages_pass_axe(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    for tool in ("identify-a-manager", "establish-a-governance-structure"):
        page.goto(f"/c/{SLUG}/design/tools/{tool}/")
        assert axe_violations(page) == [], tool
    page.goto(f"/c/{SLUG}/diagnose/tools/account-for-resources/")
    assert axe_violations(page) == []
    page.goto(f"/c/{SLUG}/")
    page.get_by_role("heading", name="Can collaboration help?").wait_for()
    assert axe_violations(page) == []
