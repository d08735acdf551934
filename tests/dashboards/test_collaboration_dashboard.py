import datetime
import re

import pytest
from django.urls import reverse

from design.models import Task
from implement.models import Milestone, Win
from intersector.collaborations.models import Sector
from intersector.dashboards import selectors
from intersector.worksheets.models import Comment, Consensus, StageMove
from intersector.worksheets.toolkit import questions_by_key, stages
from tests.conftest import make_partner
from tests.implement.factories import make_activity, make_indicator

from .helpers import TODAY, agree, answer

DAY = datetime.timedelta(days=1)


def url(collab):
    return reverse("dashboards:collaboration", args=[collab.slug])


@pytest.fixture
def story(collab, partner_org, other_partner_org):
    """Two partners who wrote, one who has not; answers with versions; an agreed answer."""
    silent = make_partner(collab, "Quiet Philanthropy Fund", sector=Sector.PHILANTHROPIC)
    diagnose_keys = [q.key for t in stages()[0].tools for q in t.questions]
    design_key = stages()[1].tools[0].questions[0].key
    # Bright Futures: three diagnose answers, the third cleared in its newest version.
    answer(partner_org, diagnose_keys[0])
    answer(partner_org, diagnose_keys[1], version=1)
    answer(partner_org, diagnose_keys[1], version=2, text="Better.")
    answer(partner_org, diagnose_keys[2], version=1)
    answer(partner_org, diagnose_keys[2], version=2, text="")
    # Northfield: the same first question and one in Design.
    answer(other_partner_org, diagnose_keys[0])
    answer(other_partner_org, design_key)
    # Agreed: the first question; the second was agreed, then reopened for discussion.
    agree(collab, diagnose_keys[0])
    agree(collab, diagnose_keys[1], version=1)
    agree(collab, diagnose_keys[1], version=2, status=Consensus.Status.DISCUSSED)
    return {"silent": silent, "diagnose_keys": diagnose_keys, "design_key": design_key}


def test_progress_matches_the_answers(facilitator_client, collab, story):
    d = facilitator_client.get(url(collab)).context["d"]
    # Independently: diagnose has 2 answered questions (the cleared one does not count), 1 agreed.
    assert (d.progress["diagnose"].answered, d.progress["diagnose"].agreed) == (2, 1)
    assert (d.progress["design"].answered, d.progress["design"].agreed) == (1, 0)
    assert d.overall.questions == len(questions_by_key())
    assert (d.overall.answered, d.overall.agreed) == (3, 1)
    first_tool = d.progress["diagnose"].tools[0]
    in_first_tool = {q.key for q in first_tool.tool.questions}
    assert first_tool.answered == len(in_first_tool & set(story["diagnose_keys"][:2]))


def test_progress_bars_are_labelled_svg(facilitator_client, collab, story):
    html = facilitator_client.get(url(collab)).content.decode()
    q = len(questions_by_key())
    assert f"3 of {q} questions answered, 1 agreed" in html
    main = html[html.index("<main") :]  # (the header's bell is a decorative icon)
    for svg in re.findall(r"<svg[^>]*>", main):
        assert "style=" not in svg
        assert 'role="img"' in svg


def test_participation_counts_and_not_contributed(
    facilitator_client, collab, story, partner_org, other_partner_org
):
    response = facilitator_client.get(url(collab))
    p = response.context["d"].participation
    counts = {row.partner.name: row.perspectives for row in p.partners}
    assert counts == {
        partner_org.name: 2,  # the cleared answer does not count
        other_partner_org.name: 2,
        story["silent"].name: 0,
    }
    assert [row.partner for row in p.not_contributed] == [story["silent"]]
    by_sector = {s.sector: (s.partners, s.contributed, s.perspectives) for s in p.sectors}
    assert by_sector == {
        Sector.NONPROFIT: (1, 1, 2),
        Sector.BUSINESS: (1, 1, 2),
        Sector.PHILANTHROPIC: (1, 0, 0),
    }
    callout = response.content.decode().split('id="waiting-heading"')[1].split("</div>")[0]
    assert "1 partner has not contributed yet" in callout
    assert story["silent"].name in callout
    assert partner_org.name not in callout


def test_last_activity_is_the_newest_answer_or_record(facilitator_client, collab, partner_org):
    from django.utils import timezone

    old = timezone.now() - datetime.timedelta(days=10)
    answer(partner_org, "diagnose.engage.who", created_at=old)
    win = Win.objects.create(collaboration=collab, title="A win", created_for=partner_org)
    organisations = reverse("dashboards:organisations", args=[collab.slug])
    (row,) = facilitator_client.get(organisations).context["page"].object_list
    assert row.last_activity == win.created_at


def test_late_milestones_are_late_by_date(facilitator_client, collab, partner_org):
    activity = make_activity(collab, partner_org)
    make = lambda title, due, status: Milestone.objects.create(  # noqa: E731
        collaboration=collab, activity=activity, title=title, due=due, status=status
    )
    late_on_track = make("Typed on track, but past due", TODAY - DAY, Milestone.Status.ON_TRACK)
    late_at_risk = make("At risk and past due", TODAY - 5 * DAY, Milestone.Status.AT_RISK)
    make("Achieved after its date", TODAY - 9 * DAY, Milestone.Status.ACHIEVED)
    due_today = make("Due today", TODAY, Milestone.Status.PLANNED)
    at_risk = make("At risk, not yet due", TODAY + DAY, Milestone.Status.AT_RISK)
    dl = facilitator_client.get(url(collab)).context["d"].delivery
    assert dl.milestone_counts == {
        "late": 2,
        "at_risk": 1,
        "on_track": 0,
        "planned": 1,
        "achieved": 1,
    }
    # Late first (the oldest first), then at risk.
    assert [m.title for m in dl.attention] == [
        late_at_risk.title,
        late_on_track.title,
        at_risk.title,
    ]
    assert [m.state for m in dl.attention] == ["late", "late", "at_risk"]
    assert [m.title for m in dl.upcoming] == [due_today.title]
    assert late_on_track.is_late and not due_today.is_late


def test_open_tasks_by_partner_overdue_first(
    facilitator_client, collab, partner_org, other_partner_org
):
    activity = make_activity(collab, partner_org)
    task = lambda title, who, due, status=Task.Status.TODO: Task.objects.create(  # noqa: E731
        collaboration=collab,
        activity=activity,
        title=title,
        responsible=who,
        due=due,
        status=status,
    )
    task("Ours, next week", partner_org, TODAY + 7 * DAY)
    task("Ours, done long ago", partner_org, TODAY - 30 * DAY, Task.Status.DONE)
    task("Theirs, overdue", other_partner_org, TODAY - 2 * DAY)
    task("Theirs, very overdue", other_partner_org, TODAY - 20 * DAY, Task.Status.BLOCKED)
    dl = facilitator_client.get(url(collab)).context["d"].delivery
    rows = [
        (r.partner, r.open_tasks, r.overdue_tasks, r.blocked_tasks) for r in dl.tasks_by_partner
    ]
    assert rows == [(other_partner_org, 2, 2, 1), (partner_org, 1, 0, 0)]
    assert dl.tasks_by_partner[1].next_due == TODAY + 7 * DAY
    assert [t.title for t in dl.overdue_tasks] == ["Theirs, very overdue", "Theirs, overdue"]
    assert (dl.open_tasks, dl.overdue_task_count) == (3, 2)


def test_results_show_latest_against_baseline_and_target(facilitator_client, collab, partner_org):
    from assess.models import Measurement

    indicator = make_indicator(collab, owner=partner_org)  # baseline 0, target 200
    for days, value in ((60, 20), (30, 50), (1, 80)):
        Measurement.objects.create(
            collaboration=collab, indicator=indicator, measured_on=TODAY - days * DAY, value=value
        )
    response = facilitator_client.get(url(collab))
    (result,) = response.context["d"].results
    assert (result.latest_value, result.latest_on) == (80, TODAY - DAY)
    assert result.percent_to_target == 40
    html = response.content.decode()
    row = html.split('<th scope="row">Young people placed</th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert [cells[0], cells[1], cells[3], cells[4]] == ["0", "80", "200", "40%"]
    # The charts live in Assess, one link away.
    assert reverse("assess:index", args=[collab.slug]) + "#measurements-section" in html


def test_results_show_the_indicators_furthest_from_target_first(
    facilitator_client, collab, partner_org
):
    from assess.models import Measurement

    goal = make_indicator(collab, owner=partner_org, name="I-0").goal
    for i, value in enumerate((180, 20, 100)):  # 90 %, 10 %, 50 % of the way to 200
        indicator = make_indicator(collab, owner=partner_org, goal=goal, name=f"I-{i + 1}")
        Measurement.objects.create(
            collaboration=collab, indicator=indicator, measured_on=TODAY, value=value
        )
    results = facilitator_client.get(url(collab)).context["d"].results
    # I-0 has no measurement yet: first.
    assert [r.indicator.name for r in results] == ["I-0", "I-2", "I-3", "I-1"]


def test_activity_feed_lists_answers_agreed_answers_stage_moves_and_wins(
    facilitator_client, facilitator, collab, partner_org
):

    key = next(iter(questions_by_key()))
    answer(partner_org, key)
    agree(collab, key)
    StageMove.objects.create(
        collaboration=collab, from_stage="diagnose", to_stage="design", moved_by=facilitator
    )
    Win.objects.create(collaboration=collab, title="First cohort placed")
    feed = facilitator_client.get(url(collab)).context["feed"]
    kinds = {item.kind for item in feed.items}
    assert {"answer", "consensus", "stage_move", "win"} <= kinds
    html = facilitator_client.get(url(collab)).content.decode()
    assert "First cohort placed" in html
    assert "Moved from Diagnose to <strong>Design</strong>" in html


def test_activity_feed_is_paginated(facilitator_client, facilitator, collab):
    key = next(iter(questions_by_key()))
    for i in range(selectors.FEED_PAGE_SIZE + 5):
        Comment.objects.create(
            collaboration=collab, question_key=key, author=facilitator, text=f"Note {i}"
        )
    first = facilitator_client.get(url(collab)).context["feed"]
    assert len(first.items) == selectors.FEED_PAGE_SIZE and first.has_next
    second = facilitator_client.get(url(collab) + "?page=2").context["feed"]
    assert len(second.items) == 5 and not second.has_next and second.has_previous
    assert {i.detail for i in first.items}.isdisjoint({i.detail for i in second.items})
    partial = facilitator_client.get(
        url(collab) + "?page=2", headers={"HX-Request": "true", "HX-Target": "activity-feed"}
    )
    assert partial.content.decode().lstrip().startswith('<div id="activity-feed"')
    assert facilitator_client.get(url(collab) + "?page=nonsense").status_code == 200


def test_observer_reads_the_dashboard_without_e_mail_addresses(
    observer_client, collab, partner_user, partner_org
):
    answer(partner_org, next(iter(questions_by_key())), author=partner_user)
    response = observer_client.get(url(collab))
    assert response.status_code == 200
    html = response.content.decode()
    assert "@test.example" not in html
    assert "<form" not in html.split('id="main"')[1]  # read-only: nothing to submit
    assert "export/partners.csv" not in html
    assert "export/tasks.csv" in html


def test_outsider_gets_404(outsider_client, collab):
    assert outsider_client.get(url(collab)).status_code == 404


def test_user_text_is_escaped(facilitator_client, collab, partner_org):
    Win.objects.create(collaboration=collab, title="<script>alert(1)</script>")
    html = facilitator_client.get(url(collab)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
