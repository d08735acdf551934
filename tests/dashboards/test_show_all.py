"""The dashboard shows the first rows of each long list; "Show all" pages have the rest, a
page at a time, reachable by plain links and, with htmx, swapped in place."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from design.models import Task
from implement.models import Milestone, Win
from intersector.collaborations.models import Sector
from intersector.dashboards import selectors
from intersector.dashboards.views import LIST_PAGE_SIZE
from intersector.worksheets.models import Comment, Consensus
from intersector.worksheets.toolkit import questions_by_key
from tests.conftest import make_partner
from tests.implement.factories import make_activity

from .helpers import TODAY, agree, answer, consensus_version

DAY = datetime.timedelta(days=1)
HTMX = {"HX-Request": "true", "HX-Target": "dash-list"}


def dashboard(client, collab):
    return client.get(reverse("dashboards:collaboration", args=[collab.slug]))


def list_url(name, collab):
    return reverse(f"dashboards:{name}", args=[collab.slug])


def row_headers(html: str) -> list[str]:
    """The row headings of the page's list, in order (tags inside them stripped)."""
    region = html.split('id="dash-list"')[1]
    return [re.sub(r"<[^>]+>", "", th) for th in re.findall(r'<th scope="row">(.*?)</th>', region)]


@pytest.fixture
def many_late(collab, partner_org):
    """More late milestones than the dashboard shows, and one that is on track."""
    activity = make_activity(collab, partner_org)
    late = [
        Milestone.objects.create(
            collaboration=collab,
            activity=activity,
            title=f"Late {i:02d}",
            due=TODAY - (60 - i) * DAY,
        )
        for i in range(LIST_PAGE_SIZE + 3)
    ]
    Milestone.objects.create(
        collaboration=collab, activity=activity, title="Ahead", due=TODAY + 3 * DAY
    )
    return late


def test_dashboard_shows_the_oldest_late_milestones_and_links_to_all(
    facilitator_client, collab, many_late
):
    response = dashboard(facilitator_client, collab)
    d = response.context["d"]
    assert [m.title for m in d.delivery.attention] == [
        f"Late {i:02d}" for i in range(selectors.SHOWN)
    ]
    html = response.content.decode()
    assert "Late 05" not in html
    link = f'<a href="{list_url("milestones", collab)}">Show all {len(many_late)} milestones late or at risk</a>'
    assert link in html


def test_milestones_page_lists_every_milestone_a_page_at_a_time(
    facilitator_client, collab, many_late
):
    first = facilitator_client.get(list_url("milestones", collab))
    assert first.status_code == 200
    html = first.content.decode()
    assert html.count("<h1") == 1
    assert row_headers(html) == [f"Late {i:02d}" for i in range(LIST_PAGE_SIZE)]
    assert f"1–{LIST_PAGE_SIZE} of {len(many_late) + 1}" in html
    assert 'href="?page=2"' in html and 'hx-get="?page=2"' in html

    # Without htmx: the next page is a whole page.
    second = facilitator_client.get(list_url("milestones", collab), {"page": 2}).content.decode()
    assert second.count("<h1") == 1
    rest = [f"Late {i:02d}" for i in range(LIST_PAGE_SIZE, len(many_late))] + ["Ahead"]
    assert row_headers(second) == rest
    assert 'href="?page=1"' in second and 'href="?page=3"' not in second

    # With htmx: only the list region, to swap in place.
    partial = facilitator_client.get(list_url("milestones", collab), {"page": 2}, headers=HTMX)
    fragment = partial.content.decode()
    assert fragment.lstrip().startswith('<div id="dash-list"')
    assert "<h1" not in fragment and '<nav class="tabs"' not in fragment
    assert row_headers(fragment) == rest


def test_tasks_page_lists_open_tasks_overdue_first(facilitator_client, collab, partner_org):
    activity = make_activity(collab, partner_org)
    for title, due, status in (
        ("No date", None, Task.Status.TODO),
        ("Next week", TODAY + 7 * DAY, Task.Status.DOING),
        ("Done", TODAY - 9 * DAY, Task.Status.DONE),
        ("Very overdue", TODAY - 9 * DAY, Task.Status.BLOCKED),
        ("Overdue", TODAY - DAY, Task.Status.TODO),
    ):
        Task.objects.create(
            collaboration=collab,
            activity=activity,
            title=title,
            responsible=partner_org,
            due=due,
            status=status,
        )
    html = facilitator_client.get(list_url("tasks", collab)).content.decode()
    assert row_headers(html) == ["Very overdue", "Overdue", "Next week", "No date"]
    rows = html.split('id="dash-list"')[1].split("</tr>")
    assert "Overdue</span>" in rows[1] and "Overdue</span>" not in rows[3]


def test_organisations_page_has_every_partner_with_their_figures(
    facilitator_client, collab, partner_org
):
    quiet = make_partner(collab, "Zeta Trust", sector=Sector.PHILANTHROPIC)
    for i in range(LIST_PAGE_SIZE):
        make_partner(collab, f"Org {i:02d}")
    answer(partner_org, next(iter(questions_by_key())))
    Task.objects.create(
        collaboration=collab,
        activity=make_activity(collab, partner_org),
        title="Late task",
        responsible=quiet,
        due=TODAY - DAY,
    )
    first = facilitator_client.get(list_url("organisations", collab))
    rows = first.context["page"].object_list
    assert len(rows) == LIST_PAGE_SIZE
    assert rows[0].partner == partner_org  # A–Z: "Bright Futures…" before "Northfield…", "Org …"
    last = facilitator_client.get(list_url("organisations", collab), {"page": 2}, headers=HTMX)
    (zeta,) = [r for r in last.context["page"].object_list if r.partner == quiet]
    assert (zeta.perspectives, zeta.open_tasks, zeta.overdue_tasks) == (0, 1, 1)
    html = last.content.decode()
    assert "Zeta Trust" in html and "Not yet" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Alpha", "Beta", "Gamma"]),
        ("-name", ["Gamma", "Beta", "Alpha"]),
        ("activity", ["Gamma", "Alpha", "Beta"]),  # never active first, then longest ago
        ("-perspectives", ["Alpha", "Beta", "Gamma"]),
        ("-overdue", ["Beta", "Alpha", "Gamma"]),
        ("nonsense", ["Alpha", "Beta", "Gamma"]),
    ],
)
def test_organisations_page_sorts_on_the_server(facilitator_client, collab, sort, expected):
    collab.partners.all().delete()
    alpha, beta, _gamma = (make_partner(collab, name) for name in ("Alpha", "Beta", "Gamma"))
    keys = list(questions_by_key())
    answer(alpha, keys[0], created_at=timezone.now() - 9 * DAY)
    answer(alpha, keys[1], created_at=timezone.now() - 9 * DAY)
    answer(beta, keys[0])
    Task.objects.create(
        collaboration=collab,
        activity=make_activity(collab, alpha),
        title="Late",
        responsible=beta,
        due=TODAY - DAY,
    )
    response = facilitator_client.get(list_url("organisations", collab), {"sort": sort})
    assert [r.partner.name for r in response.context["page"].object_list] == expected
    html = response.content.decode()
    assert len(re.findall(r"aria-sort=", html)) == 1
    if sort and sort != "nonsense":
        assert f'aria-sort="{"descending" if sort.startswith("-") else "ascending"}"' in html


def test_organisations_pager_keeps_the_sort(facilitator_client, collab):
    for i in range(LIST_PAGE_SIZE + 1):
        make_partner(collab, f"Org {i:02d}")
    html = facilitator_client.get(list_url("organisations", collab), {"sort": "-name"}).content
    assert 'href="?page=2&amp;sort=-name"' in html.decode()


def test_dashboard_caps_the_partner_lists_and_links_to_all_organisations(
    facilitator_client, collab
):
    sectors = list(Sector)
    keys = list(questions_by_key())
    partners = [
        make_partner(collab, f"Org {i:02d}", sector=sectors[i % len(sectors)]) for i in range(30)
    ]
    for i, partner in enumerate(partners[:15]):  # the first 15 wrote: Org 14 one answer, Org 00 15
        for key in keys[: 15 - i]:
            answer(partner, key)
    response = dashboard(facilitator_client, collab)
    d = response.context["d"]
    assert [(r.partner.name, r.perspectives) for r in d.least_involved] == [
        (f"Org {14 - i:02d}", i + 1) for i in range(selectors.PARTNERS_SHOWN)
    ]
    assert len(d.waiting) == selectors.WAITING_SHOWN
    html = response.content.decode()
    callout = html.split('id="waiting-heading"')[1].split("</div>")[0]
    assert "15 partners have not contributed yet" in callout
    assert f"and {15 - selectors.WAITING_SHOWN} more" in callout
    assert list_url("organisations", collab) in callout
    assert "All 30 organisations" in html


def test_nothing_needing_attention_says_so(facilitator_client, collab, partner_org):
    answer(partner_org, next(iter(questions_by_key())))
    html = dashboard(facilitator_client, collab).content.decode()
    attention = html.split('id="attention-heading"')[1].split("</section>")[0]
    assert "Nothing is late or overdue" in attention


# The activity feed: the newest items of every kind, a page at a time -------------------------


def test_feed_pages_through_every_kind_in_time_order(
    facilitator_client, facilitator, collab, partner_org
):
    """Each source hands the union only its newest rows: paging must still see all of them,
    in one time order, whichever kinds are newest."""
    keys = list(questions_by_key())
    now = timezone.now()
    expected = []
    for i in range(12):
        at = now - (2 * i) * datetime.timedelta(minutes=1)
        answer(partner_org, keys[i], created_at=at)
        expected.append(("answer", at))
        comment = Comment.objects.create(
            collaboration=collab, question_key=keys[i], author=facilitator, text=f"Note {i}"
        )
        at = now - (2 * i + 1) * datetime.timedelta(minutes=1)
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        expected.append(("comment", at))
    win = Win.objects.create(collaboration=collab, title="Oldest win")
    Win.objects.filter(pk=win.pk).update(created_at=now - 60 * datetime.timedelta(minutes=1))
    expected.append(("win", now - 60 * datetime.timedelta(minutes=1)))
    seen = []
    page = 1
    while True:
        feed = facilitator_client.get(
            reverse("dashboards:collaboration", args=[collab.slug]),
            {"page": page},
            headers={"HX-Request": "true", "HX-Target": "activity-feed"},
        ).context["feed"]
        seen += [(item.kind, item.at) for item in feed.items]
        if not feed.has_next:
            break
        page += 1
    assert seen == expected
    assert page == 3  # 25 items, 10 a page


def test_feed_shows_an_answer_once_at_its_newest_version_and_skips_cleared_ones(
    facilitator_client, collab, partner_org, other_partner_org
):
    key, cleared_key = list(questions_by_key())[:2]
    old = timezone.now() - 3 * DAY
    answer(partner_org, key, version=1, created_at=old)
    newest = answer(partner_org, key, version=2, text="Second thoughts.")
    answer(other_partner_org, cleared_key, version=1, created_at=old)
    answer(other_partner_org, cleared_key, version=2, text="")
    agree(collab, cleared_key, version=1)
    consensus_version(  # reopened without text: not news
        collaboration=collab,
        question_key=cleared_key,
        version=2,
        text="",
        status=Consensus.Status.OPEN,
    )
    feed = dashboard(facilitator_client, collab).context["feed"]
    answers = [(i.kind, i.organisation, i.at) for i in feed.items if i.kind == "answer"]
    assert answers == [("answer", partner_org.name, newest.updated_at)]
    assert [i for i in feed.items if i.kind == "consensus"] == []
