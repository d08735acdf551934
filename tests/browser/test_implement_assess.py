import io

from django.core.management import call_command

from assess.models import Measurement
from implement.models import Milestone
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD

from .conftest import axe_violations, sign_in

BASE = "/c/riverton-youth-jobs-compact"


def test_facilitator_adds_a_milestone_and_marks_it_achieved(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"{BASE}/implement/tools/manage-expectations/")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a milestone").click()
    form = page.get_by_role("form", name="Add a milestone")
    form.get_by_label("Milestone", exact=True).fill("Employer breakfast with 30 firms")
    form.get_by_label("Activity").select_option(label="Paid placements with mentors")
    form.get_by_label("Due date").fill("2027-02-15")
    form.get_by_role("button", name="Add").click()
    page.get_by_role("heading", name="Employer breakfast with 30 firms").wait_for()

    page.get_by_role("link", name="Edit Employer breakfast with 30 firms").click()
    edit = page.get_by_role("form", name="Edit Employer breakfast with 30 firms")
    edit.get_by_label("Status").select_option("achieved")
    edit.get_by_role("button", name="Save").click()
    item = page.locator(
        "li.record", has=page.get_by_role("heading", name="Employer breakfast with 30 firms")
    )
    item.get_by_text("Achieved", exact=True).wait_for()
    milestone = Milestone.objects.get(title="Employer breakfast with 30 firms")
    assert milestone.status == "achieved" and milestone.achieved_on is not None
    assert axe_violations(page) == []


def test_partner_records_a_measurement_and_sees_it_on_the_chart(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "city@example.org", DEMO_PASSWORD)  # owns "Young people placed in paid jobs"
    page.goto(f"{BASE}/assess/tools/evaluate-as-you-go/")
    assert axe_violations(page) == []
    card = page.locator(
        "article", has=page.get_by_role("heading", name="Young people placed in paid jobs")
    )
    before = card.locator("circle.mark").count()

    page.get_by_role("link", name="Record a measurement").click()
    form = page.get_by_role("form", name="Record a measurement")
    form.get_by_label("Indicator").select_option(label="Young people placed in paid jobs (people)")
    form.get_by_label("Date").fill("2026-03-31")
    form.get_by_label("Value").fill("98")
    form.get_by_role("button", name="Add").click()
    card.get_by_role("rowheader", name="31 Mar 2026").wait_for()
    assert card.locator("circle.mark").count() == before + 1
    assert Measurement.objects.filter(value=98).exists()
    assert axe_violations(page) == []


def test_plan_and_lessons_pages_are_accessible(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    for path in [
        "/implement/tools/sustain-capacity-and-champions/",
        "/implement/tools/communicate-the-interdependency/",
        "/assess/tools/define-the-intent-of-the-evaluation/",
        "/assess/tools/tell-the-story/",
    ]:
        page.goto(BASE + path)
        assert axe_violations(page) == [], path
    page.goto(f"{BASE}/assess/tools/define-the-intent-of-the-evaluation/")
    page.get_by_role("link", name="Edit the plan").click()
    page.get_by_role("form", name="Evaluation plan").wait_for()
    assert axe_violations(page) == []
