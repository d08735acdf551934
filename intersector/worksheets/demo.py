"""Demo answers for the Riverton Youth Jobs Compact. Idempotent: version 1 of each answer is
created once and never duplicated."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from intersector.collaborations.models import Collaboration

from .models import (
    Comment,
    Consensus,
    ConsensusRevision,
    DecisionRule,
    InputRequest,
    Outcome,
    Perspective,
    PerspectiveRevision,
    Proposal,
    ProposalResponse,
)
from .services import responding_partner_ids

CITY = "Riverton Workforce Development Agency"
EMPLOYER = "Northfield Manufacturing"
YOUTH = "Bright Futures Youth Network"
AUTHORS = {CITY: "city@example.org", EMPLOYER: "employer@example.org", YOUTH: "partner@example.org"}
FACILITATOR = "facilitator@example.org"

PERSPECTIVES = {
    "diagnose.engage.who-else-works-on-it": {
        CITY: "Our summer youth employment programme and the two job centres. The state "
        "workforce board funds a regional partnership we sit on.",
        EMPLOYER: "The chamber of commerce runs a careers fair; two other manufacturers "
        "take interns from the college.",
        YOUTH: "Three youth clubs on the east side and the churches' mentoring scheme. "
        "They know the young people but have no employer contacts.",
    },
    "diagnose.engage.missing-sector": {
        CITY: "Young people themselves, and the school district.",
        YOUTH: "The young people. We can bring a youth panel of 8–10 members.",
    },
    "diagnose.engage.worries-about-other-sectors": {
        EMPLOYER: "That we pay for placements and the young people do not turn up.",
        YOUTH: "That employers only want the easiest young people and the rest are left out.",
        CITY: "Procurement rules may slow down anything that involves paying a partner.",
    },
    "diagnose.vision.one-sentence": {
        CITY: "By 2027, 300 more east-side 16–24 year olds in work or training each year.",
        EMPLOYER: "A steady pipeline of trained entry-level technicians from our own city.",
        YOUTH: "Every young person who wants a job has a real route into one, with support.",
    },
    "diagnose.resources.what-we-put-in": {
        EMPLOYER: "40 paid placements a year, 12 shop-floor mentors, training kit.",
        CITY: "Two case managers, job-centre rooms, unemployment data by neighbourhood.",
        YOUTH: "Outreach workers, the drop-in centre, 25 volunteer mentors.",
    },
    "design.facts.facts-we-accept": {
        CITY: "1 in 4 east-side 16–24s is not in work or education (2024 survey).",
        EMPLOYER: "We had 35 unfilled entry-level technician posts last year.",
        YOUTH: "Most young people we see have never had a job interview.",
    },
    "design.measures.criteria": {
        CITY: "Data we already collect, reported quarterly.",
        YOUTH: "At least one measure must come from young people themselves.",
    },
    "design.governance.decision-rule": {
        CITY: "Consensus, with a majority vote of the steering group as a fallback.",
        EMPLOYER: "Consensus is fine, but decisions cannot wait more than one meeting.",
        YOUTH: "Consensus, and the youth panel must be heard before any vote.",
    },
    "design.manager.remit": {
        CITY: "Coordination, reporting to funders, running the steering group.",
        YOUTH: "The manager should not deliver services; that is our job.",
    },
    "implement.interdependency.cannot-do-without": {
        EMPLOYER: "Without Bright Futures we would not reach the young people at all.",
        YOUTH: "Without Northfield there are no jobs at the end of the route.",
        CITY: "The funding rules and the data; we can also unlock the summer programme.",
    },
    "implement.expectations.milestones-to-celebrate": {
        YOUTH: "The first ten young people finishing their placements.",
        EMPLOYER: "The first apprentice hired from the programme.",
    },
    "assess.intent.users-and-decisions": {
        CITY: "The council, to decide whether to fund a second phase.",
        EMPLOYER: "Our board, to decide whether to expand placements.",
    },
    "assess.story.audiences": {
        YOUTH: "Families on the east side: they need to believe the jobs are real.",
        CITY: "Council members and the state workforce board.",
    },
}

AGREED = {
    "diagnose.engage.missing-sector": (
        "agreed",
        "Young people themselves: Bright Futures convenes a youth panel that joins every "
        "steering meeting. We also invite the school district.",
    ),
    "diagnose.vision.one-sentence": (
        "agreed",
        "By 2027, 300 more young people from the east side start work or training each year, "
        "with a mentor and a job at the end of the route.",
    ),
    "diagnose.resources.what-we-put-in": (
        "agreed",
        "Placements and mentors (Northfield), case managers and data (the city), outreach and "
        "mentoring (Bright Futures). Coordination funding is still the gap.",
    ),
    "design.facts.facts-we-accept": (
        "discussed",
        "Agreed so far: 1 in 4 east-side 16–24s is out of work and education; 35 entry-level "
        "posts went unfilled last year. Still to check: interview experience figures.",
    ),
    "design.governance.decision-rule": (
        "agreed",
        "Consensus in the steering group; after one meeting without agreement, a two-thirds "
        "vote. The youth panel speaks before every vote.",
    ),
    "implement.interdependency.cannot-do-without": (
        "discussed",
        "Each partner holds one link of the chain: reach (Bright Futures), jobs (Northfield), "
        "funding rules and data (the city).",
    ),
    "assess.intent.users-and-decisions": (
        "open",
        "Draft: the council and Northfield's board are the main users; both decide on a second "
        "phase in 2026.",
    ),
}

COMMENTS = [
    (
        "design.governance.decision-rule",
        EMPLOYER,
        "Two-thirds works for us, as long as the meeting dates are fixed a year ahead.",
    ),
    (
        "diagnose.engage.worries-about-other-sectors",
        YOUTH,
        "Could we agree that every placement includes a mentor? That answers both worries.",
    ),
]


# Rounds of "ask partners to agree": (question, round, text, outcome or "" while open, days
# from now it closed or closes, statement, {organisation: (position, reason)}).
DECISION_RULE_V1 = "Consensus in the steering group; when stuck, the chair decides."
ROUNDS = [
    (
        "design.governance.decision-rule",
        1,
        DECISION_RULE_V1,
        Outcome.NOT_PASSED,
        -12,
        "Northfield objected; the text is revised with a two-thirds vote instead of the chair.",
        {
            CITY: ("agree", ""),
            EMPLOYER: ("object", "A single chair deciding is not a shared decision."),
            YOUTH: ("reservations", "The youth panel must be heard first."),
        },
    ),
    (
        "design.governance.decision-rule",
        2,
        AGREED["design.governance.decision-rule"][1],
        Outcome.PASSED,
        -6,
        "Adopted at the steering group.",
        {
            CITY: ("agree", ""),
            EMPLOYER: ("reservations", "Fix the meeting dates a year ahead."),
            YOUTH: ("agree", ""),
        },
    ),
    (
        "design.facts.facts-we-accept",
        1,
        AGREED["design.facts.facts-we-accept"][1],
        "",
        5,
        "",
        {CITY: ("agree", "")},
    ),
]


def seed_proposals(collaboration: Collaboration, users: dict, partners: dict) -> None:
    DecisionRule.objects.get_or_create(
        collaboration=collaboration,
        defaults={"rule": DecisionRule.Rule.CONSENSUS, "quorum_percent": 60, "period_days": 10},
    )
    now = timezone.now()
    organisations = len(responding_partner_ids(collaboration.pk))
    for key, number, text, outcome, days, statement, responses in ROUNDS:
        closes = now + timedelta(days=days)
        proposal, created = Proposal.objects.get_or_create(
            collaboration=collaboration,
            question_key=key,
            round=number,
            defaults={
                "text": text,
                "rule": DecisionRule.Rule.CONSENSUS,
                "quorum_percent": 60,
                "opened_by": users.get(FACILITATOR),
                "opened_at": closes - timedelta(days=10),
                "closes_at": closes,
                "closed_at": closes if outcome else None,
                "outcome": outcome,
                "outcome_statement": statement,
                "organisations": organisations if outcome else 0,
            },
        )
        if not created:
            continue
        for partner_name, (position, reason) in responses.items():
            if partner_name in partners:
                ProposalResponse.objects.create(
                    proposal=proposal,
                    collaboration=collaboration,
                    partner=partners[partner_name],
                    position=position,
                    reason=reason,
                    author=users.get(AUTHORS[partner_name]),
                    created_at=closes - timedelta(days=3),
                    updated_at=closes - timedelta(days=3),
                )
        if outcome == Outcome.PASSED:
            Consensus.objects.filter(collaboration=collaboration, question_key=key).update(
                agreed_by=proposal, changed_since_agreed=False
            )


def seed(collaboration: Collaboration) -> None:
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__in=[*AUTHORS.values(), FACILITATOR])}
    partners = {p.name: p for p in collaboration.partners.all()}
    start = timezone.now() - timedelta(days=20)
    for i, (key, by_partner) in enumerate(PERSPECTIVES.items()):
        for j, (partner_name, text) in enumerate(by_partner.items()):
            if partner_name not in partners:
                continue
            at = start + timedelta(hours=6 * i + j)
            answer, created = Perspective.objects.get_or_create(
                collaboration=collaboration,
                question_key=key,
                partner=partners[partner_name],
                defaults={
                    "text": text,
                    "author": users.get(AUTHORS[partner_name]),
                    "created_at": at,
                    "updated_at": at,
                },
            )
            if created:
                PerspectiveRevision.objects.create(
                    collaboration=collaboration,
                    question_key=key,
                    partner=answer.partner,
                    version=1,
                    text=text,
                    author=answer.author,
                    created_at=at,
                )
    for i, (key, (status, text)) in enumerate(AGREED.items()):
        at = start + timedelta(days=5 + i)
        answer, created = Consensus.objects.get_or_create(
            collaboration=collaboration,
            question_key=key,
            defaults={
                "text": text,
                "status": status,
                "author": users.get(FACILITATOR),
                "created_at": at,
                "updated_at": at,
            },
        )
        if created:
            ConsensusRevision.objects.create(
                collaboration=collaboration,
                question_key=key,
                version=1,
                text=text,
                status=status,
                author=answer.author,
                created_at=at,
            )
    for key, partner_name, text in COMMENTS:
        Comment.objects.get_or_create(
            collaboration=collaboration,
            question_key=key,
            text=text,
            defaults={"author": users.get(AUTHORS[partner_name])},
        )

    # An input request that waits on the partners' overview (and shows on the dashboard).
    request, created = InputRequest.objects.get_or_create(
        collaboration=collaboration,
        stage="design",
        tool_slug="build-a-common-fact-base",
        defaults={
            "message": "Before the steering meeting, please add your organisation's view on "
            "every question, even a short one.",
            "due": timezone.localdate() + timedelta(days=5),
            "requested_by": users.get(FACILITATOR),
        },
    )
    if created:
        request.partners.set(partners.values())
    seed_proposals(collaboration, users, partners)
