"""Diagnose data for the demo collaboration (Riverton Youth Jobs Compact). Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from intersector.collaborations.models import Collaboration, Partner, Sector

from .models import Apprehension, Decision, SectorAnalysis

SECTORS = {
    Sector.GOVERNMENT: {
        "limits_processes": "Annual budget cycles and procurement rules make it slow to start "
        "anything new; programmes must serve the whole city, not one neighbourhood.",
        "limits_expertise": "Knows benefits and job-centre rules, not what employers need "
        "from a first-time hire.",
        "limits_resources": "Two case managers for 3,000 young people out of work.",
        "interest": "Council priority for the next two budgets; state money for regional "
        "partnerships that include employers.",
        "contribution": "Unemployment data, job-centre rooms, the summer programme, and the "
        "authority to align public funding.",
    },
    Sector.BUSINESS: {
        "limits_processes": "Recruits through agencies and online ads that never reach the "
        "east side.",
        "limits_expertise": "No experience of supporting young people with gaps in school or "
        "housing.",
        "limits_resources": "Supervisors cannot mentor and run a line at the same time.",
        "interest": "Forty entry-level technical posts unfilled as the plant expands.",
        "contribution": "Paid placements, shop-floor mentors, training kit and a say in what "
        "the courses teach.",
    },
    Sector.NONPROFIT: {
        "limits_processes": "Funded project by project; no staff time for employer relations.",
        "limits_expertise": "Little knowledge of technical skills or apprenticeship rules.",
        "limits_resources": "Relies on volunteers and one-year grants.",
        "interest": "Its mission: young people on the east side in stable work.",
        "contribution": "Trust of young people and families, outreach, mentoring, a drop-in "
        "centre.",
    },
    Sector.ACADEMIC: {
        "limits_processes": "Courses follow the academic year and need minimum class sizes.",
        "limits_expertise": "",
        "limits_resources": "Cannot pay stipends to learners.",
        "interest": "Enrolment from neighbourhoods it rarely reaches.",
        "contribution": "Short vocational courses with recognised certificates; an evaluation "
        "team.",
    },
    Sector.PHILANTHROPIC: {
        "limits_processes": "Grants run one to three years; it cannot run services itself.",
        "limits_expertise": "Knows funders, not employers' hiring needs.",
        "limits_resources": "",
        "interest": "Its strategy names youth employment on the east side as a priority.",
        "contribution": "A possible three-year grant for coordination and stipends, and "
        "introductions to other local funders.",
    },
}

APPREHENSIONS = [
    (
        "Northfield Manufacturing",
        "Will we be asked to hire people who are not ready for the shop floor?",
        "Supervisors worry about safety and output if placements start without preparation.",
        "Every placement starts after a six-week pre-employment course; Bright Futures mentors "
        "stay in touch for the first three months.",
        Apprehension.Status.RESOLVED,
    ),
    (
        "Bright Futures Youth Network",
        "Young people's data shared with the city could affect their benefits",
        "Families fear that sign-up data will be used against them.",
        "A data-sharing agreement is being drafted: only anonymised counts leave the network.",
        Apprehension.Status.ADDRESSING,
    ),
    (
        "Riverton Workforce Development Agency",
        "The compact could duplicate the summer youth employment programme",
        "",
        "",
        Apprehension.Status.OPEN,
    ),
]


def seed(collaboration: Collaboration) -> None:
    partners = {p.name: p for p in collaboration.partners.all()}
    for sector, fields in SECTORS.items():
        SectorAnalysis.objects.update_or_create(
            collaboration=collaboration, sector=sector, defaults=fields
        )
    for partner_name, about, detail, response, status in APPREHENSIONS:
        if partner_name not in partners:
            continue
        Apprehension.objects.update_or_create(
            collaboration=collaboration,
            about=about,
            defaults={
                "raised_by": partners[partner_name],
                "detail": detail,
                "response": response,
                "status": status,
            },
        )
    facilitator = (
        get_user_model()
        .objects.filter(memberships__collaboration=collaboration, memberships__role="facilitator")
        .first()
    )
    decision, _ = Decision.objects.update_or_create(
        collaboration=collaboration,
        defaults={
            "outcome": Decision.Outcome.PROCEED,
            "revisit_on": None,
            "reasons": "No sector can close the gap alone: employers have the jobs but not the "
            "reach, the youth network has the trust but not the employer links, and the city "
            "has the data and funding rules but too few staff. Each partner has a clear stake "
            "and the state plan funds exactly this kind of partnership.",
            "recorded_by": facilitator,
            "recorded_at": timezone.now() - timedelta(days=21),
        },
    )
    decision.agreed_by.set(
        p for p in partners.values() if p.engagement != Partner.Engagement.PROSPECTIVE
    )
