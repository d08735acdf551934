import datetime
from io import StringIO

from django.core.management import call_command

from design.models import Activity, Indicator, Task
from intersector.collaborations.models import Partner
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD
from intersector.worksheets.inline import PAGE_SIZE

from .conftest import axe_violations, sign_in

SLUG = "riverton-youth-jobs-compact"


def test_facilitator_moves_a_partner_on_the_stakeholder_map(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    harbor = Partner.objects.get(name="Harbor Community Foundation")
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/diagnose/tools/engage-potential-partners/")
    circle = f"#map-dot-{harbor.pk} circle"
    before = page.locator(circle).get_attribute("cy")
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
    page.wait_for_function(
        "([circle, before]) => document.querySelector(circle).getAttribute('cy') !== before",
        arg=[circle, before],
    )
    assert page.locator(f"#map-row-{harbor.pk} td").nth(1).inner_text().startswith("1")
    harbor.refresh_from_db()
    assert harbor.influence == 1
    assert axe_violations(page) == []


def test_facilitator_adds_an_indicator_inline(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/design/tools/agree-on-measures-of-success/")
    assert axe_violations(page) == []
    # The form is loaded when asked for, focused on its first field.
    assert page.get_by_role("form", name="Add an indicator").count() == 0
    page.get_by_role("link", name="Add an indicator").click()
    form = page.get_by_role("form", name="Add an indicator")
    form.get_by_label("Goal").wait_for()
    assert page.evaluate("document.activeElement.name") == "goal"
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


def test_a_long_task_list_shows_more_rows_and_every_row_can_be_edited(page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    activity = Activity.objects.filter(collaboration__slug=SLUG).first()
    for n in range(2 * PAGE_SIZE + 5):
        Task.objects.create(
            collaboration=activity.collaboration,
            activity=activity,
            title=f"Extra task {n:02}",
            responsible=activity.lead,
            due=activity.end,  # the latest due date: these sort last
        )
    total = Task.objects.filter(collaboration__slug=SLUG).count()
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/design/tools/identify-a-manager/")
    rows = page.locator("#responsibilities-section tbody tr")
    assert rows.count() == PAGE_SIZE
    page.get_by_text(f"{PAGE_SIZE} of {total} shown.").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name=f"Show all {total} · Responsibilities").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#responsibilities-section tbody tr').length === n",
        arg=total,
    )
    # The first new row has the focus; the live region says how many rows are shown.
    first_new = page.evaluate("document.activeElement.id")
    assert first_new == rows.nth(PAGE_SIZE).get_attribute("id")
    assert page.locator("#announcer").inner_text() == f"{total} of {total} shown."
    assert axe_violations(page) == []

    # A row far down the list is edited in place, and the list keeps all its rows.
    page.get_by_role("link", name="Edit Extra task 44").click()
    form = page.get_by_role("form", name="Edit task")
    form.get_by_label("Status").select_option("done")
    form.get_by_role("button", name="Save").click()
    page.locator("#responsibilities-section tr", has_text="Extra task 44").get_by_text(
        "Done"
    ).wait_for()
    assert rows.count() == total
    assert Task.objects.get(title="Extra task 44").status == "done"
    assert page.locator("#announcer").inner_text() == "Task saved."

    # The add form opens on demand; the new task is shown once saved.
    page.get_by_role("link", name="Add a task").click()
    form = page.get_by_role("form", name="Add a task")
    form.get_by_label("Task").fill("Book the venue")
    form.get_by_label("Activity").select_option(str(activity.pk))
    form.get_by_label("Responsible partner").select_option(str(activity.lead_id))
    form.get_by_role("button", name="Add").click()
    page.get_by_role("rowheader", name=f"Book the venue {activity.title}").wait_for()
    assert Task.objects.filter(title="Book the venue", responsible=activity.lead).exists()


def test_without_javascript_show_more_opens_a_page_with_more_rows(new_page, transactional_db):
    call_command("seed_demo", stdout=StringIO())
    activity = Activity.objects.filter(collaboration__slug=SLUG).first()
    for n in range(2 * PAGE_SIZE + 5):
        Activity.objects.create(
            collaboration=activity.collaboration,
            goal=activity.goal,
            title=f"Extra activity {n:02}",
            lead=activity.lead,
            start=datetime.date(2030, 1, 1),
            end=datetime.date(2030, 6, 30),
        )
    total = Activity.objects.filter(collaboration__slug=SLUG).count()
    page = new_page(java_script_enabled=False)
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{SLUG}/design/tools/identify-a-manager/")
    assert page.locator("#roadmap-section tbody tr").count() == PAGE_SIZE
    assert page.locator("#roadmap-section .timeline-bar").count() == PAGE_SIZE
    page.get_by_role("link", name=f"Show {PAGE_SIZE} more · Roadmap").click()
    page.get_by_role("heading", level=1, name="Identify a Manager").wait_for()
    assert f"/design/roadmap/?rows={2 * PAGE_SIZE}" in page.url
    assert page.locator("#roadmap-section tbody tr").count() == 2 * PAGE_SIZE
    # The rest is less than a page: one link shows it ("Show all" would say the same).
    assert page.get_by_role("link", name=f"Show all {total} · Roadmap").count() == 0
    page.get_by_role("link", name=f"Show {total - 2 * PAGE_SIZE} more · Roadmap").click()
    page.wait_for_url(f"**/design/roadmap/?rows={total}*")
    assert page.locator("#roadmap-section tbody tr").count() == total
    assert page.locator(".more-rows").count() == 0
