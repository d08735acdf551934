"""Implement-stage demo data for the Riverton Youth Jobs Compact. Idempotent.

Milestones, updates and wins hang from the goals and activities of Design's demo.
"""

import datetime

from django.contrib.auth import get_user_model

from design import demo as design_demo
from design.models import Task
from intersector.collaborations.models import Collaboration

from .models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

GOAL = "Place east-side young people in paid work"
SUMMER = "Paid placements with mentors"
OUTREACH = "Outreach and sign-up on the east side"
PLACED = "Young people placed in paid jobs"
NEET = "East-side youth not in work or education (%)"


def design_rows(collaboration: Collaboration) -> dict:
    """The Design goal, activities, indicators and task that Implement and Assess hang from.

    They come from Design's demo (seeded here too, idempotently, so this stage never runs
    ahead of it).
    """
    design_demo.seed(collaboration)
    partners = {p.name: p for p in collaboration.partners.all()}
    goals = {g.title: g for g in collaboration.goals.all()}
    activities = {a.title: a for a in collaboration.activities.all()}
    indicators = {i.name: i for i in collaboration.indicators.all()}
    summer = activities[SUMMER]
    task, _ = Task.objects.get_or_create(
        collaboration=collaboration,
        activity=summer,
        title="Recruit shop-floor mentors",
        defaults={
            "responsible": partners["Northfield Manufacturing"],
            "due": summer.start,
            "status": "done",
        },
    )
    return {
        "goal": goals[GOAL],
        "summer": summer,
        "outreach": activities[OUTREACH],
        "placed": indicators[PLACED],
        "neet": indicators[NEET],
        "mentor_task": task,
        "partners": partners,
    }


def seed(collaboration: Collaboration) -> None:
    rows = design_rows(collaboration)
    partners = rows["partners"]
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    maya = users.get("facilitator@example.org")
    daniel = users.get("partner@example.org")
    priya = users.get("employer@example.org")
    today = datetime.date.today()

    milestones = {}
    for title, activity, due, status, achieved in [
        (
            "First 20 employers signed up",
            rows["summer"],
            datetime.date(2025, 4, 30),
            "achieved",
            datetime.date(2025, 4, 22),
        ),
        (
            "First cohort of 40 starts placements",
            rows["summer"],
            datetime.date(2025, 7, 1),
            "achieved",
            datetime.date(2025, 7, 1),
        ),
        (
            "Youth clubs refer 150 young people",
            rows["outreach"],
            today - datetime.timedelta(days=20),
            "on_track",
            None,
        ),
        (
            "Mentor training for every placement host",
            rows["summer"],
            today + datetime.timedelta(days=45),
            "at_risk",
            None,
        ),
        (
            "Second cohort of 80 starts placements",
            rows["summer"],
            today + datetime.timedelta(days=160),
            "planned",
            None,
        ),
    ]:
        milestones[title], _ = Milestone.objects.get_or_create(
            collaboration=collaboration,
            title=title,
            defaults={
                "activity": activity,
                "goal": rows["goal"],
                "due": due,
                "status": status,
                "achieved_on": achieved,
                "created_by": maya,
            },
        )

    for date, activity, task, summary, author, org in [
        (
            datetime.date(2025, 5, 30),
            None,
            rows["mentor_task"],
            "All 40 mentors recruited from the shop floor; two volunteered to coordinate the others.",
            priya,
            "Northfield Manufacturing",
        ),
        (
            datetime.date(2025, 9, 12),
            rows["summer"],
            None,
            "34 of 40 completed the first cohort; 22 were offered apprenticeships.",
            priya,
            "Northfield Manufacturing",
        ),
        (
            datetime.date(2025, 11, 3),
            rows["outreach"],
            None,
            "Four youth clubs now run weekly job-ready sessions; referrals up to 25 a month.",
            daniel,
            "Bright Futures Youth Network",
        ),
    ]:
        ProgressUpdate.objects.get_or_create(
            collaboration=collaboration,
            summary=summary,
            defaults={
                "date": date,
                "activity": activity or task.activity,
                "task": task,
                "created_by": author,
                "created_for": partners.get(org),
            },
        )

    for heard_on, source, partner, heard, changed in [
        (
            datetime.date(2025, 6, 10),
            "Parents at the east-side forum",
            None,
            "Placements start at 6 am and there is no bus before 6.30.",
            "Northfield moved the start to 7.30 and the city added a shuttle from the youth centre.",
        ),
        (
            datetime.date(2025, 8, 2),
            "Shop-floor mentors",
            "Northfield Manufacturing",
            "Mentors want a short guide on working with young people who have been out of school.",
            "Bright Futures ran two evening sessions for mentors and wrote a two-page guide.",
        ),
        (
            datetime.date(2025, 10, 20),
            "Young people in the second outreach wave",
            "Bright Futures Youth Network",
            "Many cannot afford work boots and safety glasses before the first pay cheque.",
            "",
        ),
    ]:
        FeedbackEntry.objects.get_or_create(
            collaboration=collaboration,
            heard=heard,
            defaults={
                "heard_on": heard_on,
                "source": source,
                "source_partner": partners.get(partner) if partner else None,
                "changed": changed,
                "created_by": maya,
            },
        )

    for title, description, solution, owner, status in [
        (
            "Not enough case managers for the second cohort",
            "The agency has two case managers for 80 young people.",
            "The community college lends two final-year social-work students on placement.",
            "Riverton Workforce Development Agency",
            "working",
        ),
        (
            "Nowhere to run evening workshops on the east side",
            "The job centre closes at 5 pm.",
            "Bright Futures opens its drop-in centre two evenings a week; Northfield pays the caretaker.",
            "Bright Futures Youth Network",
            "resolved",
        ),
        (
            "Stipends for the unpaid first week of induction",
            "Young people drop out before the first pay cheque.",
            "",
            "Harbor Community Foundation",
            "open",
        ),
    ]:
        ResourceIssue.objects.get_or_create(
            collaboration=collaboration,
            title=title,
            defaults={
                "description": description,
                "solution": solution,
                "owner": partners.get(owner),
                "status": status,
                "created_by": maya,
            },
        )

    for name, position, kind, partner, brings in [
        (
            "Councillor Ana Ruiz",
            "Chair, city economic development committee",
            "champion",
            "Riverton Workforce Development Agency",
            "Keeps youth jobs in the next two city budgets; opens doors to the mayor's office.",
        ),
        (
            "James Whitfield",
            "Plant director",
            "sponsor",
            "Northfield Manufacturing",
            "Commits the 40 paid placements and the mentors' time; introduces other manufacturers.",
        ),
        (
            "Leah Osei",
            "Former placement participant, now apprentice",
            "champion",
            None,
            "Speaks at youth clubs and to parents; the most persuasive voice we have.",
        ),
    ]:
        Champion.objects.get_or_create(
            collaboration=collaboration,
            name=name,
            defaults={
                "position": position,
                "kind": kind,
                "partner": partners.get(partner) if partner else None,
                "brings": brings,
                "created_by": maya,
            },
        )

    for title, date, milestone, description in [
        (
            "20 employers on board, ahead of schedule",
            datetime.date(2025, 4, 22),
            "First 20 employers signed up",
            "Eight days early, thanks to Northfield's calls to its suppliers.",
        ),
        (
            "First cohort starts on time",
            datetime.date(2025, 7, 1),
            "First cohort of 40 starts placements",
            "40 young people, 40 mentors, one shuttle bus.",
        ),
        (
            "22 apprenticeship offers",
            datetime.date(2025, 9, 12),
            None,
            "More than half of the first cohort were offered apprenticeships.",
        ),
    ]:
        Win.objects.get_or_create(
            collaboration=collaboration,
            title=title,
            defaults={
                "celebrated_on": date,
                "milestone": milestones.get(milestone) if milestone else None,
                "description": description,
                "created_by": maya,
            },
        )
