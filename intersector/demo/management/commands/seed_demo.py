"""A realistic demo collaboration. Safe to run again: it updates, never duplicates."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from assess import demo as assess_demo
from design import demo as design_demo
from diagnose import demo as diagnose_demo
from implement import demo as implement_demo
from intersector.collaborations.models import (
    Collaboration,
    Membership,
    Partner,
    Role,
    Sector,
    Stage,
)
from intersector.worksheets import demo as worksheets_demo

DEMO_PASSWORD = "intersector-demo"
DEMO_SLUG = "riverton-youth-jobs-compact"

DEMO_USERS = [
    ("facilitator@example.org", "Maya Okafor", Role.FACILITATOR, None),
    ("partner@example.org", "Daniel Reyes", Role.PARTNER, "Bright Futures Youth Network"),
    ("observer@example.org", "Grace Lindqvist", Role.OBSERVER, None),
    ("employer@example.org", "Priya Natarajan", Role.PARTNER, "Northfield Manufacturing"),
    ("city@example.org", "Tom Becker", Role.PARTNER, "Riverton Workforce Development Agency"),
]

DEMO_PARTNERS = [
    {
        "name": "Riverton Workforce Development Agency",
        "sector": Sector.GOVERNMENT,
        "influence": 5,
        "proximity": 4,
        "engagement": Partner.Engagement.COMMITTED,
        "expertise": "Runs the city's job centres and the summer youth employment programme; "
        "knows the public funding rules.",
        "resources": "Two case managers, job-centre rooms, access to unemployment data.",
    },
    {
        "name": "Northfield Manufacturing",
        "sector": Sector.BUSINESS,
        "influence": 4,
        "proximity": 3,
        "engagement": Partner.Engagement.COMMITTED,
        "expertise": "Skills the region's employers are short of; apprenticeship design.",
        "resources": "40 paid placements a year, mentors from the shop floor, training kit.",
    },
    {
        "name": "Bright Futures Youth Network",
        "sector": Sector.NONPROFIT,
        "influence": 3,
        "proximity": 5,
        "engagement": Partner.Engagement.COMMITTED,
        "expertise": "Trusted by young people and families in the east side neighbourhoods; "
        "youth work and mentoring.",
        "resources": "Outreach workers, a drop-in centre, volunteer mentors.",
    },
    {
        "name": "Riverton Community College",
        "sector": Sector.ACADEMIC,
        "influence": 3,
        "proximity": 3,
        "engagement": Partner.Engagement.ENGAGED,
        "expertise": "Short vocational courses and recognised certificates.",
        "resources": "Course places, workshops in the evenings, an evaluation team.",
    },
    {
        "name": "Harbor Community Foundation",
        "sector": Sector.PHILANTHROPIC,
        "influence": 4,
        "proximity": 2,
        "engagement": Partner.Engagement.PROSPECTIVE,
        "expertise": "Grant-making and convening local funders.",
        "resources": "A possible three-year grant for coordination and stipends.",
    },
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo collaboration and its demo accounts."

    @transaction.atomic
    def handle(self, *args, **options):
        collaboration, _ = Collaboration.objects.update_or_create(
            slug=DEMO_SLUG,
            defaults={
                "title": "Riverton Youth Jobs Compact",
                "problem_statement": (
                    "One in four young people aged 16–24 on Riverton's east side is neither in "
                    "work nor in education. Employers cannot fill entry-level technical jobs, "
                    "the city's programmes reach too few young people, and youth organisations "
                    "lack the employer links to turn trust into jobs."
                ),
                "origin": Collaboration.Origin.VOLUNTARY,
                "context": (
                    "The state's new workforce plan funds regional partnerships that include "
                    "employers. The city council has made youth employment a priority for the "
                    "next two budgets; the largest employer is expanding its plant."
                ),
                "current_stage": Stage.DESIGN,
            },
        )
        partners = {}
        for data in DEMO_PARTNERS:
            partner, _ = Partner.objects.update_or_create(
                collaboration=collaboration, name=data["name"], defaults=data
            )
            partners[partner.name] = partner

        User = get_user_model()
        for email, name, role, partner_name in DEMO_USERS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.update_or_create(
                user=user,
                collaboration=collaboration,
                defaults={"role": role, "partner": partners.get(partner_name)},
            )

        diagnose_demo.seed(collaboration)
        design_demo.seed(collaboration)
        implement_demo.seed(collaboration)
        assess_demo.seed(collaboration)
        worksheets_demo.seed(collaboration)

        self.stdout.write(self.style.SUCCESS(f"Demo collaboration ready: {collaboration.title}"))
        self.stdout.write(f"Sign in with any of these (password for all: {DEMO_PASSWORD}):")
        for email, name, role, partner_name in DEMO_USERS[:3]:
            speaks_for = f", for {partner_name}" if partner_name else ""
            self.stdout.write(f"  {role.label:<12} {email}  ({name}{speaks_for})")
