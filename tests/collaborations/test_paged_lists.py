"""Long record lists on tool pages: a page of rows, "Show more", add forms on demand.

The mechanism is the shared one of ``intersector.worksheets.inline``; Design's task
list and Implement's milestones (``records_context``) stand for every paged section.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from design.models import Activity, Goal, Task
from implement.models import Milestone
from intersector.worksheets.inline import PAGE_SIZE

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
TOOL = "/c/youth-jobs/design/tools/identify-a-manager/"
REGION = "/c/youth-jobs/design/responsibilities/"
TASK_ROW = re.compile(r'<tr id="task-(\d+)"')


@pytest.fixture
def activity(collab, partner_org):
    goal = Goal.objects.create(collaboration=collab, title="Place young people in work")
    return Activity.objects.create(
        collaboration=collab,
        goal=goal,
        title="Outreach",
        lead=partner_org,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )


def add_tasks(activity, n: int, start: int = 0) -> list[Task]:
    """Tasks due one day after another, so the list's order is their number's."""
    return Task.objects.bulk_create(
        Task(
            collaboration=activity.collaboration,
            activity=activity,
            title=f"Task {i:03}",
            responsible=activity.lead,
            due=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(start, start + n)
    )


def task_rows(html: str) -> list[int]:
    return [int(pk) for pk in TASK_ROW.findall(html)]


def test_the_tool_page_lists_a_first_page_and_offers_the_rest(facilitator_client, activity):
    tasks = add_tasks(activity, PAGE_SIZE * 2 + 5)
    html = facilitator_client.get(TOOL).content.decode()
    assert task_rows(html) == [t.pk for t in tasks[:PAGE_SIZE]]
    assert f"{PAGE_SIZE} of {len(tasks)} shown." in html
    more = f"{REGION}?rows={2 * PAGE_SIZE}&amp;shown={PAGE_SIZE}"
    assert f'href="{more}" hx-get="{REGION}"' in html
    assert f'hx-vals=\'{{"rows": {2 * PAGE_SIZE}, "shown": {PAGE_SIZE}}}\'' in html
    assert f"Show all {len(tasks)}" in html
    # The region remembers how many rows it shows, for the requests made from inside it.
    assert 'id="responsibilities-section" class="artefact-region" hx-target="this" ' in html
    assert f"hx-vals='{{\"rows\": {PAGE_SIZE}}}'" in html


def test_a_short_list_has_no_show_more(facilitator_client, activity):
    add_tasks(activity, 3)
    html = facilitator_client.get(TOOL).content.decode()
    assert len(task_rows(html)) == 3
    assert "more-rows" not in html


def test_show_more_with_htmx_redraws_the_region_with_more_rows(facilitator_client, activity):
    tasks = add_tasks(activity, PAGE_SIZE * 2 + 5)
    response = facilitator_client.get(REGION, {"rows": 2 * PAGE_SIZE, "shown": PAGE_SIZE}, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#responsibilities-section"
    html = response.content.decode()
    assert task_rows(html) == [t.pk for t in tasks[: 2 * PAGE_SIZE]]
    # The first new row takes the focus; the live region says what changed.
    first_new = tasks[PAGE_SIZE].pk
    assert f'<tr id="task-{first_new}" tabindex="-1" autofocus>' in html
    assert html.count("autofocus") == 1
    total = len(tasks)
    announce = f'<div id="announcer" hx-swap-oob="innerHTML">{2 * PAGE_SIZE} of {total} shown.'
    assert announce in html
    assert "Show 5 more" in html


def test_without_javascript_show_more_is_a_page_of_its_own(partner_client, activity):
    tasks = add_tasks(activity, PAGE_SIZE + 5)
    response = partner_client.get(REGION, {"rows": 2 * PAGE_SIZE, "shown": PAGE_SIZE})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1 and "<h1>Identify a Manager</h1>" in html
    assert f'<a href="{TOOL}#artefact-responsibilities">Identify a Manager</a>' in html
    assert task_rows(html) == [t.pk for t in tasks]
    assert "more-rows" not in html
    # Without ?rows= the page starts with the first page, like the tool page.
    assert len(task_rows(partner_client.get(REGION).content.decode())) == PAGE_SIZE


@pytest.mark.parametrize(
    "rows, listed",
    [("lots", PAGE_SIZE), ("-3", PAGE_SIZE), ("", PAGE_SIZE), ("9" * 30, PAGE_SIZE + 5)],
)
def test_nonsense_row_counts_are_harmless(facilitator_client, activity, rows, listed):
    """Text or negative counts give the first page; a huge one is capped (at MAX_ROWS)."""
    add_tasks(activity, PAGE_SIZE + 5)
    for headers in ({}, HX):
        response = facilitator_client.get(REGION, {"rows": rows, "shown": rows}, **headers)
        assert response.status_code == 200
        assert len(task_rows(response.content.decode())) == listed


def test_a_row_beyond_the_first_page_opens_for_editing_in_place(facilitator_client, activity):
    tasks = add_tasks(activity, PAGE_SIZE + 5)
    last = tasks[-1]
    edit = reverse(
        "design:edit", kwargs={"kind": "responsibilities", "slug": "youth-jobs", "pk": last.pk}
    )
    # The edit link of a page that shows 20 rows says so: the answer shows those, and the
    # row being edited, wherever it sorts.
    html = facilitator_client.get(edit, {"rows": PAGE_SIZE}, **HX).content.decode()
    assert f'<form method="post" action="{edit}"' in html
    assert f'<tr id="task-{last.pk}" class="row-editing">' in html
    assert len(task_rows(html)) == PAGE_SIZE + 1
    # Opened in place, the form takes the focus.
    assert re.search(r'<select name="activity"[^>]* autofocus', html)
    response = facilitator_client.post(
        edit,
        {
            "rows": PAGE_SIZE,
            "activity": activity.pk,
            "title": "Task renamed",
            "responsible": activity.lead_id,
            "status": "done",
        },
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<tr id="task-{last.pk}">' in html and "Task renamed" in html
    assert '<div id="announcer" hx-swap-oob="innerHTML">Task saved.</div>' in html
    assert Task.objects.get(pk=last.pk).status == "done"


def test_with_more_rows_shown_a_save_keeps_them(facilitator_client, activity):
    tasks = add_tasks(activity, PAGE_SIZE * 3)
    edit = reverse(
        "design:edit", kwargs={"kind": "responsibilities", "slug": "youth-jobs", "pk": tasks[0].pk}
    )
    data = {
        "activity": activity.pk,
        "title": "First",
        "responsible": activity.lead_id,
        "due": "2026-01-01",  # its place in the order stays the same
        "status": "doing",
    }
    html = facilitator_client.post(edit, {**data, "rows": 2 * PAGE_SIZE}, **HX).content.decode()
    assert len(task_rows(html)) == 2 * PAGE_SIZE
    assert f"hx-vals='{{\"rows\": {2 * PAGE_SIZE}}}'" in html


def test_the_add_form_is_loaded_when_asked_for(facilitator_client, activity, partner_org):
    add_tasks(activity, PAGE_SIZE + 5)
    add = reverse("design:add", kwargs={"kind": "responsibilities", "slug": "youth-jobs"})
    page = facilitator_client.get(TOOL).content.decode()
    # No form, no select of every partner, on the page: a link that fetches the form.
    assert f'action="{add}"' not in page
    assert '<select name="responsible"' not in page
    assert f'<a class="button button--quiet" href="{add}" hx-get="{add}">Add a task</a>' in page

    html = facilitator_client.get(add, **HX).content.decode()
    assert f'<form method="post" action="{add}"' in html
    assert '<select name="responsible"' in html
    assert "What each partner brings" in html

    # Saved, the new task shows although it sorts after the first page.
    response = facilitator_client.post(
        add,
        {
            "activity": activity.pk,
            "title": "Book the venue",
            "responsible": partner_org.pk,
            "due": "2026-12-30",
            "status": "todo",
        },
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    new = Task.objects.get(title="Book the venue")
    assert task_rows(html)[-1] == new.pk
    assert f'action="{add}"' not in html  # closed again
    assert 'hx-swap-oob="innerHTML">Task “Book the venue” added.</div>' in html


def test_without_javascript_add_is_a_form_page_that_returns_to_the_tool(
    facilitator_client, activity, partner_org
):
    add = reverse("design:add", kwargs={"kind": "responsibilities", "slug": "youth-jobs"})
    html = facilitator_client.get(add).content.decode()
    assert "<h1>Add a task</h1>" in html
    response = facilitator_client.post(
        add,
        {
            "activity": activity.pk,
            "title": "Book the venue",
            "responsible": partner_org.pk,
            "status": "todo",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{TOOL}#artefact-responsibilities"


def queries(client, path, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["facilitator_client", "partner_client"])
def test_query_counts_do_not_grow_with_rows(request, who, activity):
    client = request.getfixturevalue(who)
    add_tasks(activity, PAGE_SIZE)  # a full first page: the list counts what else there is
    small = (queries(client, TOOL), queries(client, REGION, **HX))
    add_tasks(activity, PAGE_SIZE * 4, start=PAGE_SIZE)
    large = (queries(client, TOOL), queries(client, REGION, **HX))
    everything = queries(client, f"{REGION}?rows=1000&shown=20", **HX)
    assert large == small
    assert everything == small[1] - 1  # every row on one page: nothing left to count


def test_records_context_lists_a_page_and_tallies_every_row(facilitator_client, collab, activity):
    Milestone.objects.bulk_create(
        Milestone(
            collaboration=collab,
            activity=activity,
            title=f"Milestone {i:03}",
            due=datetime.date(2030, 1, 1) + datetime.timedelta(days=i),
            status="achieved" if i % 5 == 0 else "planned",
        )
        for i in range(PAGE_SIZE + 10)
    )
    html = facilitator_client.get("/c/youth-jobs/implement/tools/manage-expectations/")
    html = html.content.decode()
    assert len(re.findall(r'id="milestone-\d+"', html)) == PAGE_SIZE
    assert f"{PAGE_SIZE} of {PAGE_SIZE + 10} shown." in html
    # The tally counts every milestone, not only the listed ones.
    assert "<strong>6</strong> achieved" in html
    region = "/c/youth-jobs/implement/milestones/"
    html = facilitator_client.get(region, {"rows": 100, "shown": PAGE_SIZE}, **HX)
    html = html.content.decode()
    assert len(re.findall(r'id="milestone-\d+"', html)) == PAGE_SIZE + 10
    assert html.count('tabindex="-1" autofocus') == 1


def failed_lookups(client, url: str, monkeypatch) -> int:
    """How many names the page's templates looked up in vain (each costs Django an
    exception and a dir() of the object)."""
    from django.template import base

    failures = []
    resolve = base.Variable._resolve_lookup

    def counting(variable, context):
        try:
            return resolve(variable, context)
        except base.VariableDoesNotExist:
            failures.append(variable.var)
            raise

    monkeypatch.setattr(base.Variable, "_resolve_lookup", counting)
    assert client.get(url).status_code == 200
    monkeypatch.setattr(base.Variable, "_resolve_lookup", resolve)
    return len(failures)


def test_record_rows_look_up_no_missing_names(facilitator_client, activity, monkeypatch):
    add_tasks(activity, 1)
    one_row = failed_lookups(facilitator_client, TOOL, monkeypatch)
    add_tasks(activity, PAGE_SIZE - 1, start=1)
    assert failed_lookups(facilitator_client, TOOL, monkeypatch) == one_row
