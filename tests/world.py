"""The one place that builds test worlds: people, collaborations, partners and records.

Plain functions, no fixtures: the fixtures of ``tests/conftest.py`` (the named personas) and
``tests/implement/factories.py`` are thin wrappers around these, and a test file that needs
a world of its own builds it from here. Answers and agreed answers are built by
``tests/dashboards/helpers.py`` (``answer``, ``agree``); the authorisation matrix's
``build_world`` builds the two-collaboration world that the matrix, the hostile-input and
the security-header tests share.
"""

import datetime

from django.test import Client

from design.models import Activity, Goal, Indicator, Task
from implement.models import Milestone
from intersector.collaborations.models import Collaboration, Membership, Partner, Sector

PASSWORD = "correct-horse-battery-staple"
TODAY = datetime.date.today()


# --- People and collaborations ---------------------------------------------------------------


def make_user(email: str, full_name: str = ""):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(email=email, password=PASSWORD, full_name=full_name)


def make_collaboration(
    title: str = "Youth Jobs", slug: str | None = None, **fields
) -> Collaboration:
    from django.utils.text import slugify

    fields.setdefault("problem_statement", "Too many young people are out of work.")
    return Collaboration.objects.create(title=title, slug=slug or slugify(title), **fields)


def make_partner(collaboration: Collaboration, name: str = "City Agency", **fields) -> Partner:
    fields.setdefault("sector", Sector.GOVERNMENT)
    return Partner.objects.create(collaboration=collaboration, name=name, **fields)


def make_member(user, collaboration: Collaboration, role: str, partner: Partner | None = None):
    return Membership.objects.create(
        user=user, collaboration=collaboration, role=role, partner=partner
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Design rows and Implement records -------------------------------------------------------


def make_goal(collaboration, title="Place 200 young people in paid work"):
    return Goal.objects.create(collaboration=collaboration, title=title)


def make_activity(collaboration, lead, goal=None, title="Summer placements"):
    return Activity.objects.create(
        collaboration=collaboration,
        goal=goal or make_goal(collaboration),
        title=title,
        lead=lead,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 1, 1),
    )


def make_indicator(collaboration, owner=None, goal=None, name="Young people placed"):
    return Indicator.objects.create(
        collaboration=collaboration,
        goal=goal or make_goal(collaboration),
        name=name,
        baseline=0,
        target=200,
        owner=owner,
    )


def make_task(activity, responsible, title="Recruit mentors"):
    return Task.objects.create(
        collaboration=activity.collaboration,
        activity=activity,
        title=title,
        responsible=responsible,
    )


def make_milestone(activity, title="First cohort starts", due=None, **fields):
    return Milestone.objects.create(
        collaboration=activity.collaboration,
        activity=activity,
        goal=activity.goal,
        title=title,
        due=due or TODAY + datetime.timedelta(days=30),
        **fields,
    )
