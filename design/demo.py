"""Design data for the demo collaboration (Riverton Youth Jobs Compact). Idempotent: rows
are found by their natural names and updated, never duplicated."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from intersector.collaborations.models import Collaboration

from .models import Activity, Goal, Governance, Indicator, Task, Vision

CITY = "Riverton Workforce Development Agency"
EMPLOYER = "Northfield Manufacturing"
YOUTH = "Bright Futures Youth Network"
COLLEGE = "Riverton Community College"
FOUNDATION = "Harbor Community Foundation"


def _month(offset: int, day: int) -> date:
    """A day ``offset`` months from this month, so the demo roadmap is always current."""
    today = timezone.localdate()
    year, month = divmod(today.month - 1 + offset, 12)
    return date(today.year + year, month + 1, day)


VISION = (
    "By 2028 every young person on Riverton's east side who wants a job has a route into "
    "one: prepared by people they trust, trained for skills employers need, and supported "
    "through the first year of work."
)

GOALS = [
    (
        "Place east-side young people in paid work",
        "More 16–24-year-olds from the east side in paid, entry-level technical jobs, and "
        "still employed a year later.",
        [
            (
                "Young people placed in paid jobs",
                "people",
                "12",
                "120",
                date(2028, 6, 30),
                "Placement register kept by the agency",
                CITY,
            ),
            (
                "East-side youth not in work or education (%)",
                "%",
                "25",
                "15",
                date(2027, 12, 31),
                "City labour-market survey",
                YOUTH,
            ),
            (
                "Still employed after 12 months",
                "%",
                "40",
                "70",
                date(2028, 6, 30),
                "Employer HR records, anonymised",
                EMPLOYER,
            ),
        ],
    ),
    (
        "Prepare young people for the shop floor",
        "Young people finish a short course with a recognised certificate and the habits "
        "employers ask for.",
        [
            (
                "Course completions with a certificate",
                "people",
                "0",
                "150",
                date(2027, 6, 30),
                "College enrolment system",
                COLLEGE,
            ),
            (
                "Participants reporting confidence to apply",
                "%",
                "35",
                "75",
                date(2028, 6, 30),
                "Exit survey run by the youth network",
                YOUTH,
            ),
        ],
    ),
    (
        "Build lasting employer links",
        "Employers recruit from the east side as a matter of course.",
        [
            (
                "Employers offering placements",
                "employers",
                "1",
                "12",
                date(2028, 6, 30),
                "Compact partner list",
                CITY,
            ),
        ],
    ),
]

ACTIVITIES = [
    # title, goal index, lead, supporting, start, end, description, tasks
    (
        "Outreach and sign-up on the east side",
        0,
        YOUTH,
        [CITY],
        _month(-2, 12),
        _month(3, 28),
        "Street outreach, drop-in sessions and referrals from schools.",
        [
            (
                "Train six outreach workers on the programme offer",
                YOUTH,
                "partner@example.org",
                _month(-1, 13),
                "done",
            ),
            (
                "Agree the referral form with the job centres",
                CITY,
                "city@example.org",
                _month(0, 20),
                "doing",
            ),
        ],
    ),
    (
        "Six-week pre-employment course",
        1,
        COLLEGE,
        [EMPLOYER, YOUTH],
        _month(0, 2),
        _month(9, 18),
        "Technical basics, health and safety, and a visit to the plant; certificate on completion.",
        [
            (
                "Write the course with Northfield's supervisors",
                COLLEGE,
                None,
                _month(1, 10),
                "doing",
            ),
            (
                "Lend training kit for the workshop sessions",
                EMPLOYER,
                "employer@example.org",
                _month(1, 24),
                "todo",
            ),
        ],
    ),
    (
        "Paid placements with mentors",
        0,
        EMPLOYER,
        [YOUTH],
        _month(3, 1),
        _month(14, 28),
        "Forty paid placements a year, each with a shop-floor mentor and a youth-work mentor.",
        [
            (
                "Recruit and brief twenty shop-floor mentors",
                EMPLOYER,
                "employer@example.org",
                _month(3, 26),
                "todo",
            ),
            (
                "Set up monthly check-ins with each placed young person",
                YOUTH,
                None,
                _month(4, 10),
                "todo",
            ),
        ],
    ),
    (
        "Employer network and recruitment pledge",
        2,
        CITY,
        [EMPLOYER, FOUNDATION],
        _month(1, 1),
        _month(18, 28),
        "Recruit more employers to pledge placements; share what works.",
        [
            (
                "Host the first employer breakfast",
                CITY,
                "city@example.org",
                _month(2, 14),
                "blocked",
            ),
        ],
    ),
]

GOVERNANCE = {
    "structure": "Riverton Workforce Development Agency is the backbone organisation. A "
    "steering committee of one senior person per partner sets direction; two working groups "
    "(Outreach and preparation; Placements and employers) run the activities.",
    "manager_remit": "Coordinates the working groups, keeps the roadmap and the indicators "
    "up to date, prepares steering committee papers, and is the single point of contact for "
    "funders.",
    "decision_making": "The steering committee decides by consensus; where none is reached "
    "after two meetings, a two-thirds majority with at least one partner from each sector. "
    "Working groups decide within their activities and budgets.",
    "meeting_rhythm": "Steering committee every six weeks; working groups fortnightly",
    "information_sharing": "Anonymised placement and retention counts monthly from the "
    "agency and Northfield; course completions each term from the college; no personal data "
    "leaves the organisation that collected it.",
}


def seed(collaboration: Collaboration) -> None:
    partners = {p.name: p for p in collaboration.partners.all()}
    users = {
        u.email: u
        for u in get_user_model().objects.filter(memberships__collaboration=collaboration)
    }
    Vision.objects.update_or_create(collaboration=collaboration, defaults={"statement": VISION})
    goals = []
    for order, (title, outcomes, indicators) in enumerate(GOALS, start=1):
        goal, _ = Goal.objects.update_or_create(
            collaboration=collaboration,
            title=title,
            defaults={"outcomes": outcomes, "order": order},
        )
        goals.append(goal)
        for name, unit, baseline, target, target_date, source, owner in indicators:
            Indicator.objects.update_or_create(
                collaboration=collaboration,
                name=name,
                defaults={
                    "goal": goal,
                    "unit": unit,
                    "baseline": Decimal(baseline),
                    "target": Decimal(target),
                    "target_date": target_date,
                    "data_source": source,
                    "owner": partners.get(owner),
                },
            )
    for title, goal_i, lead, supporting, start, end, description, tasks in ACTIVITIES:
        if lead not in partners:
            continue
        activity, _ = Activity.objects.update_or_create(
            collaboration=collaboration,
            title=title,
            defaults={
                "goal": goals[goal_i],
                "lead": partners[lead],
                "start": start,
                "end": end,
                "description": description,
            },
        )
        activity.supporting.set(partners[name] for name in supporting if name in partners)
        for task_title, responsible, assignee, due, status in tasks:
            if responsible not in partners:
                continue
            Task.objects.update_or_create(
                collaboration=collaboration,
                title=task_title,
                defaults={
                    "activity": activity,
                    "responsible": partners[responsible],
                    "assignee": users.get(assignee) if assignee else None,
                    "due": due,
                    "status": status,
                },
            )
    Governance.objects.update_or_create(
        collaboration=collaboration, defaults={**GOVERNANCE, "manager": partners.get(CITY)}
    )
