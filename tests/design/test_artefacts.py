import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from design.models import Activity, Goal, Governance, Indicator, Task, Vision
from design.selectors import timeline
from diagnose.models import Apprehension, Decision, SectorAnalysis
from intersector.collaborations.models import Sector
from tests.conftest import make_partner, make_user

HX = {"HTTP_HX_REQUEST": "true"}
D = datetime.date


def url(collab, name, **kwargs):
    return reverse(f"design:{name}", kwargs={"slug": collab.slug, **kwargs})


def tool_url(collab, tool):
    return reverse("design:tool", kwargs={"slug": collab.slug, "tool_slug": tool})


@pytest.fixture
def goal(collab):
    return Goal.objects.create(collaboration=collab, title="Place young people in work")


def activity(collab, goal, lead, title="Outreach", start=None, end=None):
    return Activity.objects.create(
        collaboration=collab,
        goal=goal,
        title=title,
        lead=lead,
        start=start or D(2026, 1, 1),
        end=end or D(2026, 6, 30),
    )


def test_facilitator_adds_an_indicator_inline(facilitator_client, collab, goal, partner_org):
    response = facilitator_client.post(
        url(collab, "add", kind="indicators"),
        {
            "goal": goal.pk,
            "name": "Young people placed",
            "unit": "people",
            "baseline": "12",
            "target": "120",
            "target_date": "2027-12-31",
            "data_source": "Placement register",
            "owner": partner_org.pk,
        },
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="indicators-section"')
    assert "Young people placed" in html
    indicator = Indicator.objects.get()
    assert (indicator.collaboration, indicator.owner, indicator.target) == (
        collab,
        partner_org,
        120,
    )


def test_indicator_errors_sit_next_to_the_field(facilitator_client, collab, goal):
    response = facilitator_client.post(
        url(collab, "add", kind="indicators"),
        {"goal": goal.pk, "name": "", "baseline": "5", "target": "5"},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "A target equal to the baseline measures no change." in html
    # The add form stays open, with the errors and what was typed.
    assert '<form method="post" action="/c/youth-jobs/design/indicators/add/"' in html
    assert 'aria-label="Add an indicator"' in html


def test_goal_and_partner_of_another_collaboration_cannot_be_chosen(
    facilitator_client, collab, goal, other_collab
):
    foreign_goal = Goal.objects.create(collaboration=other_collab, title="Rivers")
    foreign_partner = make_partner(other_collab, "River Trust")
    base = {"name": "X", "baseline": "1", "target": "2"}
    for data in ({"goal": foreign_goal.pk}, {"goal": goal.pk, "owner": foreign_partner.pk}):
        response = facilitator_client.post(
            url(collab, "add", kind="indicators"), {**base, **data}, **HX
        )
        assert response.status_code == 422
        assert "Select a valid choice" in response.content.decode()
    response = facilitator_client.post(
        url(collab, "add", kind="roadmap"),
        {
            "goal": goal.pk,
            "title": "A",
            "lead": foreign_partner.pk,
            "start": "2026-01-01",
            "end": "2026-02-01",
        },
    )
    assert response.status_code == 422
    response = facilitator_client.post(
        url(collab, "governance-edit"), {"manager": foreign_partner.pk}
    )
    assert response.status_code == 422
    assert not Indicator.objects.exists() and not Activity.objects.exists()
    assert not Governance.objects.exists()


def test_assignee_must_be_a_member_of_this_collaboration(
    facilitator_client, collab, goal, partner_org, outsider
):
    act = activity(collab, goal, partner_org)
    response = facilitator_client.post(
        url(collab, "add", kind="responsibilities"),
        {
            "activity": act.pk,
            "title": "T",
            "responsible": partner_org.pk,
            "assignee": outsider.pk,
            "status": "todo",
        },
    )
    assert response.status_code == 422
    assert not Task.objects.exists()


def test_partner_adds_indicators_and_tasks_only_for_their_own_organisation(
    partner_client, partner_user, collab, goal, partner_org, other_partner_org
):
    response = partner_client.post(
        url(collab, "add", kind="indicators"),
        {
            "goal": goal.pk,
            "name": "X",
            "baseline": "1",
            "target": "2",
            "owner": other_partner_org.pk,
        },
        **HX,
    )
    assert response.status_code == 422
    act = activity(collab, goal, other_partner_org)
    response = partner_client.post(
        url(collab, "add", kind="responsibilities"),
        {
            "activity": act.pk,
            "title": "Mentor",
            "responsible": partner_org.pk,
            "assignee": partner_user.pk,
            "due": "2026-03-01",
            "status": "todo",
        },
        **HX,
    )
    assert response.status_code == 200
    task = Task.objects.get()
    assert (task.responsible, task.assignee) == (partner_org, partner_user)


def test_activity_dates_and_lead_are_checked(facilitator_client, collab, goal, partner_org):
    response = facilitator_client.post(
        url(collab, "add", kind="roadmap"),
        {
            "goal": goal.pk,
            "title": "A",
            "lead": partner_org.pk,
            "supporting": [partner_org.pk],
            "start": "2026-05-01",
            "end": "2026-04-01",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The end cannot come before the start." in html
    assert "The lead partner is not also a supporting partner." in html


def test_task_due_date_falls_within_its_activity(facilitator_client, collab, goal, partner_org):
    act = activity(collab, goal, partner_org)
    response = facilitator_client.post(
        url(collab, "add", kind="responsibilities"),
        {
            "activity": act.pk,
            "title": "Late",
            "responsible": partner_org.pk,
            "due": "2027-01-01",
            "status": "todo",
        },
    )
    assert response.status_code == 422
    assert "Due dates fall within the activity" in response.content.decode()


def test_task_form_shows_what_each_partner_brings(facilitator_client, collab, goal, partner_org):
    partner_org.expertise = "Youth work and mentoring"
    partner_org.save()
    activity(collab, goal, partner_org)
    page = facilitator_client.get(tool_url(collab, "identify-a-manager")).content.decode()
    # Only when the task form is opened: the page itself links to it.
    assert "What each partner brings" not in page
    assert (
        'href="/c/youth-jobs/design/responsibilities/add/" hx-get="/c/youth-jobs/design/responsibilities/add/"'
        in page
    )
    html = facilitator_client.get(
        url(collab, "add", kind="responsibilities"), **HX
    ).content.decode()
    assert "What each partner brings" in html
    assert "Youth work and mentoring" in html
    assert "Bright Futures (Non-profit)" in html


def test_roadmap_draws_one_bar_per_activity(facilitator_client, collab, goal, partner_org):
    for i in range(4):
        activity(collab, goal, partner_org, title=f"Activity {i}", start=D(2026, 1 + i, 1))
    html = facilitator_client.get(tool_url(collab, "identify-a-manager")).content.decode()
    assert html.count('class="timeline-bar"') == 4
    assert 'role="img" aria-labelledby="roadmap-title roadmap-desc"' in html
    svg = html.split('<svg class="chart chart--timeline"', 1)[1].split("</svg>", 1)[0]
    assert "style=" not in svg


def test_timeline_places_bars_in_date_order(collab, goal, partner_org):
    a = activity(collab, goal, partner_org, title="Early", start=D(2026, 1, 1), end=D(2026, 3, 31))
    b = activity(collab, goal, partner_org, title="Late", start=D(2026, 4, 1), end=D(2026, 12, 31))
    tl = timeline([a, b], today=D(2026, 2, 1))
    first, second = tl["bars"]
    assert first.x < second.x and first.x + first.width <= second.x + 0.1
    assert tl["today_x"] is not None and first.x < tl["today_x"] < second.x


def test_deleting_a_goal_with_indicators_is_refused_with_a_message(
    facilitator_client, collab, goal, partner_org
):
    Indicator.objects.create(collaboration=collab, goal=goal, name="Placed", baseline=1, target=2)
    response = facilitator_client.post(url(collab, "delete", kind="goals", pk=goal.pk))
    assert response.status_code == 409
    assert (
        "cannot be deleted while these still refer to it: indicators" in response.content.decode()
    )
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_deleting_a_lead_partner_is_refused(facilitator_client, collab, goal, partner_org):
    activity(collab, goal, partner_org)
    response = facilitator_client.post(
        reverse("collaborations:partner-delete", kwargs={"slug": collab.slug, "pk": partner_org.pk})
    )
    assert response.status_code == 409
    assert "activit" in response.content.decode()


def test_deleting_an_activity_says_its_tasks_go_with_it(
    facilitator_client, collab, goal, partner_org
):
    act = activity(collab, goal, partner_org)
    Task.objects.create(collaboration=collab, activity=act, title="T", responsible=partner_org)
    assert (
        "1 task(s) will be deleted"
        in facilitator_client.get(url(collab, "delete", kind="roadmap", pk=act.pk)).content.decode()
    )
    assert (
        facilitator_client.post(url(collab, "delete", kind="roadmap", pk=act.pk)).status_code == 302
    )
    assert not Task.objects.exists()


def test_vision_records_who_changed_it(facilitator_client, facilitator, collab):
    response = facilitator_client.post(
        url(collab, "vision-edit"), {"statement": "Jobs for all"}, **HX
    )
    assert response.status_code == 200
    assert Vision.objects.get(collaboration=collab).updated_by == facilitator


def test_observer_sees_artefacts_without_edit_controls(observer_client, collab, goal, partner_org):
    Indicator.objects.create(
        collaboration=collab, goal=goal, name="Placed", baseline=1, target=2, owner=partner_org
    )
    html = observer_client.get(tool_url(collab, "agree-on-measures-of-success")).content.decode()
    assert "Placed" in html
    assert "indicators/add/" not in html and "/edit/" not in html


def _grow(collab, n, offset):
    user = make_user(f"m{offset}@test.example")
    partners = [
        make_partner(collab, f"Org {offset + i}", sector=list(Sector)[i % 6]) for i in range(n)
    ]
    for i, p in enumerate(partners):
        g = Goal.objects.create(collaboration=collab, title=f"Goal {offset + i}")
        Indicator.objects.create(
            collaboration=collab, goal=g, name=f"I{i}", baseline=0, target=1, owner=p
        )
        a = activity(collab, g, p, title=f"A {offset + i}")
        a.supporting.set(partners[:3])
        Task.objects.create(
            collaboration=collab, activity=a, title=f"T{i}", responsible=p, assignee=user
        )


@pytest.mark.parametrize(
    "tool",
    ["agree-on-measures-of-success", "identify-a-manager", "establish-a-governance-structure"],
)
def test_tool_pages_run_the_same_queries_at_two_sizes(facilitator_client, collab, tool):
    counts = []
    for n, offset in ((2, 0), (10, 100)):
        _grow(collab, n, offset)
        with CaptureQueriesContext(connection) as ctx:
            assert facilitator_client.get(tool_url(collab, tool)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert counts[1] <= 20  # the questions (worksheets) plus this tool's artefacts


def test_demo_seed_fills_every_artefact_and_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    models = [
        Vision,
        Goal,
        Indicator,
        Activity,
        Task,
        Governance,
        SectorAnalysis,
        Apprehension,
        Decision,
    ]
    first = [m.objects.count() for m in models]
    assert all(first), dict(zip([m.__name__ for m in models], first, strict=True))
    call_command("seed_demo", stdout=StringIO())
    assert [m.objects.count() for m in models] == first
