"""Authorisation matrix: every URL pattern × every persona × GET and POST.

The patterns come from the URL resolver, so a view is covered the day it is added: the
meta-test fails, naming the pattern, until it has a row in ``RULES``.

Personas: anonymous; an outsider (facilitator of *another* collaboration); observer,
partner and facilitator of the collaboration under test.

Adding a row for a new URL — e.g. a diagnose view where partners contribute:

    "diagnose:apprehensions": scoped(get=READ, post=CONTRIBUTE, ok_post=302),

``scoped`` derives the whole row: anonymous → sign-in redirect, outsider → 404, a member
whose role is too low → 403, else ``ok_get``/``ok_post``. ``get=None`` / ``post=None`` mean
the view refuses that method (405). Give ``kwargs=`` when the URL takes more than the slug
(``partner_kwargs`` etc. below, or a lambda over the ``World``), and ``idor=`` with the ids
of another collaboration's objects so the IDOR test checks they are refused with 404.
Anything unusual: write the per-persona outcomes out with ``rule(...)``.
"""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assess.models import EvaluationPlan, Lesson, Measurement, Observation
from design.models import Activity, Goal, Governance, Indicator, Task, Vision
from diagnose.models import Apprehension, Decision, SectorAnalysis
from implement.models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win
from intersector.collaborations.access import Need
from intersector.collaborations.models import Collaboration, Role, Sector
from intersector.invitations.models import Invitation, new_key
from intersector.invitations.tokens import make_token
from intersector.reports.models import DataJob, ReportJob
from intersector.worksheets.models import Comment, Consensus, Perspective, Proposal
from intersector.worksheets.toolkit import get_stage
from tests.conftest import client_for, make_collaboration, make_member, make_partner, make_user

PERSONAS = ("anonymous", "outsider", "observer", "partner", "facilitator")
SIGNED_IN = PERSONAS[1:]
MEMBERS = PERSONAS[2:]

LOGIN = "sign-in redirect"  # 302 to the sign-in page with ?next=
ADMIN_LOGIN = "admin sign-in redirect"  # 302 to the admin's sign-in page

READ, CONTRIBUTE, MANAGE = Need.READ, Need.CONTRIBUTE, Need.MANAGE
ROLE_OF = {"observer": Role.OBSERVER, "partner": Role.PARTNER, "facilitator": Role.FACILITATOR}
ALLOWED = {
    READ: {"observer", "partner", "facilitator"},
    CONTRIBUTE: {"partner", "facilitator"},
    MANAGE: {"facilitator"},
}


# --- The world every case runs in ------------------------------------------------------------


@dataclass
class World:
    collab: object
    partner_org: object  # the organisation the partner persona speaks for
    other_org: object  # another organisation of the same collaboration: owns ``ours``
    users: dict
    partner_membership: object
    invitation: object
    invitee_token: str
    other_collab: object
    foreign_partner: object
    foreign_membership: object
    foreign_invitation: object
    ours: dict = field(default_factory=dict)  # one record of each kind, owned by other_org
    theirs: dict = field(default_factory=dict)  # the same in the other collaboration
    session_keys: dict = field(default_factory=dict)  # persona → signed-in session
    clients: dict = field(default_factory=dict)
    # The other collaboration as built; every test's writes are rolled back, so a request
    # that left it alone leaves it equal to this.
    other_snapshot: tuple = ()


QUESTION = "diagnose.engage.who-is-affected"


def populate(collab, owner, author) -> dict:
    """One row of every kind of record a collaboration holds, owned by ``owner`` (a partner
    organisation) and written by ``author`` (a member who speaks for it)."""
    today = datetime.date.today()
    rows: dict = {}
    rows["apprehension"] = Apprehension.objects.create(
        collaboration=collab, raised_by=owner, about="Will our data be shared?"
    )
    rows["sector_analysis"] = SectorAnalysis.objects.create(
        collaboration=collab, sector=owner.sector, interest="A skilled workforce"
    )
    rows["decision"] = Decision.objects.create(
        collaboration=collab, outcome=Decision.Outcome.PROCEED, reasons="Nobody can do it alone."
    )
    rows["vision"] = Vision.objects.create(
        collaboration=collab, statement="Every young person works."
    )
    rows["governance"] = Governance.objects.create(
        collaboration=collab, structure="A steering committee", manager=owner
    )
    goal = rows["goal"] = Goal.objects.create(collaboration=collab, title="Place 200 people")
    rows["indicator"] = Indicator.objects.create(
        collaboration=collab, goal=goal, name="People placed", baseline=0, target=200, owner=owner
    )
    activity = rows["activity"] = Activity.objects.create(
        collaboration=collab,
        goal=goal,
        title="Summer placements",
        lead=owner,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 1, 1),
    )
    rows["task"] = Task.objects.create(
        collaboration=collab, activity=activity, title="Recruit mentors", responsible=owner
    )
    authored = {"collaboration": collab, "created_by": author, "created_for": owner}
    rows["milestones"] = Milestone.objects.create(
        **authored, activity=activity, goal=goal, title="First cohort", due=today
    )
    rows["updates"] = ProgressUpdate.objects.create(
        **authored, activity=activity, summary="Ten placements agreed"
    )
    rows["wins"] = Win.objects.create(**authored, title="First hire")
    rows["feedback"] = FeedbackEntry.objects.create(
        **authored, source="Parents' forum", heard="Bus fares are a barrier"
    )
    rows["issues"] = ResourceIssue.objects.create(**authored, title="No meeting room", owner=owner)
    rows["champions"] = Champion.objects.create(**authored, name="Deputy mayor", partner=owner)
    rows["plan"] = EvaluationPlan.objects.create(
        collaboration=collab,
        purpose=EvaluationPlan.Purpose.BOTH,
        methodology="logic_model",
        questions="Did it work?",
        evaluator=EvaluationPlan.Evaluator.INTERNAL,
    )
    rows["measurements"] = Measurement.objects.create(
        **authored, indicator=rows["indicator"], value=12
    )
    rows["observations"] = Observation.objects.create(
        **authored, kind=Observation.Kind.SUCCESS, title="A first employer signed"
    )
    rows["lessons"] = Lesson.objects.create(
        **authored, title="Start small", evidence="The pilot", recommendation="Pilot first"
    )
    now = timezone.now()
    rows["perspective"] = Perspective.objects.create(
        collaboration=collab,
        question_key=QUESTION,
        partner=owner,
        version=1,
        text="Our view",
        author=author,
        created_at=now,
    )
    rows["consensus"] = Consensus.objects.create(
        collaboration=collab,
        question_key=QUESTION,
        version=1,
        text="Agreed so far",
        author=author,
        created_at=now,
    )
    rows["comment"] = Comment.objects.create(
        collaboration=collab, question_key=QUESTION, author=author, text="Good point"
    )
    rows["proposal"] = Proposal.objects.create(
        collaboration=collab,
        question_key=QUESTION,
        round=1,
        text="Agreed so far",
        rule="consent",
        quorum_percent=50,
        opened_by=author,
        closes_at=now + datetime.timedelta(days=7),
    )
    rows["report_job"] = ReportJob.objects.create(
        collaboration=collab, status=ReportJob.Status.DONE, pdf=b"%PDF-1.7 test", page_count=1
    )
    rows["data_job"] = DataJob.objects.create(
        collaboration=collab,
        kind=DataJob.Kind.EXPORT,
        status=DataJob.Status.DONE,
        document='{"schema_version": 1}',
    )
    return rows


def build_world() -> World:
    collab = make_collaboration("Youth Jobs Compact", slug="youth-jobs")
    partner_org = make_partner(collab, "Bright Futures", sector=Sector.NONPROFIT)
    other_org = make_partner(collab, "Northfield Manufacturing", sector=Sector.BUSINESS)
    users = {
        "facilitator": make_user("facilitator@test.example", "Fran Facilitator"),
        "partner": make_user("partner@test.example", "Pat Partner"),
        "observer": make_user("observer@test.example", "Olive Observer"),
        "outsider": make_user("outsider@test.example", "Otto Outsider"),
    }
    make_member(users["facilitator"], collab, Role.FACILITATOR)
    partner_membership = make_member(users["partner"], collab, Role.PARTNER, partner_org)
    make_member(users["observer"], collab, Role.OBSERVER)
    employer = make_user("employer@test.example", "Emma Employer")
    make_member(employer, collab, Role.PARTNER, other_org)
    invitation = Invitation.objects.create(
        collaboration=collab,
        email="invitee@test.example",
        role=Role.OBSERVER,
        invited_by=users["facilitator"],
        sent_at=timezone.now(),
    )

    other = make_collaboration("Clean Rivers", slug="clean-rivers")
    foreign_partner = make_partner(other, "River Trust", sector=Sector.COMMUNITY)
    make_member(users["outsider"], other, Role.FACILITATOR)
    other_person = make_user("other-partner@test.example")
    foreign_membership = make_member(other_person, other, Role.PARTNER, foreign_partner)
    foreign_invitation = Invitation.objects.create(
        collaboration=other,
        email="river@test.example",
        role=Role.OBSERVER,
        invited_by=users["outsider"],
        sent_at=timezone.now(),
        key=new_key(),
    )
    world = World(
        collab=collab,
        partner_org=partner_org,
        other_org=other_org,
        users=users,
        partner_membership=partner_membership,
        invitation=invitation,
        invitee_token=make_token(invitation.key),
        other_collab=other,
        foreign_partner=foreign_partner,
        foreign_membership=foreign_membership,
        foreign_invitation=foreign_invitation,
        ours=populate(collab, other_org, employer),
        theirs=populate(other, foreign_partner, other_person),
    )
    world.session_keys = {p: client_for(u).session.session_key for p, u in users.items()}
    world.clients = make_clients(world)
    world.other_snapshot = other_collaboration_snapshot(world)
    return world


class _Clients(dict):
    """Persona → client, each made on first use: a case asks for one persona of five."""

    def __init__(self, session_keys: dict):
        super().__init__()
        self.session_keys = session_keys

    def __missing__(self, persona: str) -> Client:
        if persona != "anonymous" and persona not in self.session_keys:
            raise KeyError(persona)
        client = self[persona] = Client()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[persona]
        return client


def make_clients(world: World) -> dict[str, Client]:
    """Fresh clients (no cookies left over from another test) for the world's personas."""
    return _Clients(world.session_keys)


def world_in_outer_transaction(django_db_blocker):
    """Build one World in a transaction that is rolled back afterwards; tests using it run
    in savepoints inside (as ``TestCase.setUpTestData``). Wrap it in a module- or
    class-scoped fixture that also depends on ``django_db_setup``."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        world = build_world()
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    yield from world_in_outer_transaction(django_db_blocker)


@pytest.fixture
def world(shared_world, db) -> World:
    """The shared world, with fresh clients; whatever a test writes is rolled back."""
    shared_world.clients = make_clients(shared_world)
    return shared_world


@functools.cache
def _collaboration_models() -> list:
    """Every model with rows that belong to one collaboration (found, not listed by hand)."""
    return [
        model
        for model in apps.get_models()
        if any(f.name == "collaboration" and f.is_relation for f in model._meta.fields)
    ]


def other_collaboration_snapshot(world: World) -> tuple:
    """Everything belonging to the other collaboration, to prove a request left it alone:
    the collaboration itself, every row of every collaboration-scoped model, and the
    many-to-many links of those rows."""
    other = world.other_collab
    other.refresh_from_db()
    snapshot = [(other.title, other.problem_statement, other.context, other.current_stage)]
    for model in _collaboration_models():
        rows = model.objects.filter(collaboration=other).order_by("pk")
        snapshot.append((model._meta.label, tuple(_plain(r) for r in rows.values_list())))
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            source = m2m.m2m_field_name()
            links = through.objects.filter(**{f"{source}__collaboration": other}).order_by("pk")
            snapshot.append((through._meta.label, tuple(links.values_list())))
    return tuple(snapshot)


def _plain(row: tuple) -> tuple:
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


@functools.cache
def _snapshot_tables() -> frozenset[str]:
    """The tables ``other_collaboration_snapshot`` reads."""
    tables = {Collaboration._meta.db_table}
    for model in _collaboration_models():
        tables.add(model._meta.db_table)
        tables.update(m2m.remote_field.through._meta.db_table for m2m in model._meta.many_to_many)
    return frozenset(tables)


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def wrote_to_a_snapshot_table(queries: CaptureQueriesContext) -> bool:
    """Whether any statement ``queries`` captured wrote to a table the snapshot reads. Rows
    change only by such a statement (Django runs deletes' cascades as statements of their
    own, and there are no triggers), so without one the other collaboration is unchanged and
    the snapshot need not be read again."""
    tables = _snapshot_tables()
    for query in queries.captured_queries:
        written = _WRITE.match(query["sql"])
        if written and written.group(1) in tables:
            return True
    return False


def assert_other_collaboration_unchanged(world: World, queries: CaptureQueriesContext) -> None:
    if wrote_to_a_snapshot_table(queries):
        assert other_collaboration_snapshot(world) == world.other_snapshot, (
            "another collaboration changed"
        )


# --- Rules -----------------------------------------------------------------------------------


Outcome = int | str
Kwargs = Callable[[World], dict]


def slug_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug}


def partner_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.partner_org.pk}


def foreign_partner_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.foreign_partner.pk}


def membership_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.partner_membership.pk}


def foreign_membership_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.foreign_membership.pk}


def invitation_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.invitation.pk}


def foreign_invitation_kwargs(w: World) -> dict:
    return {"slug": w.collab.slug, "pk": w.foreign_invitation.pk}


def tool_kwargs(stage_key: str, tool_slug: str) -> Kwargs:
    return lambda w: {"slug": w.collab.slug, "tool_slug": tool_slug}


def ours(name: str, **extra) -> Kwargs:
    """The URL naming one of this collaboration's records (owned by another organisation)."""
    return lambda w: {"slug": w.collab.slug, "pk": w.ours[name].pk, **extra}


def theirs(name: str, **extra) -> Kwargs:
    """The same URL naming the other collaboration's record of that kind (IDOR)."""
    return lambda w: {"slug": w.collab.slug, "pk": w.theirs[name].pk, **extra}


def extra_kwargs(**extra) -> Kwargs:
    return lambda w: {"slug": w.collab.slug, **extra}


def bound(**values) -> Callable[[World], dict]:
    """POST data that makes a form bound (an empty POST leaves ``request.POST or None``
    forms unbound)."""
    return lambda w: {"submitted": "1", **values}


@dataclass(frozen=True)
class Rule:
    get: dict[str, Outcome]
    post: dict[str, Outcome]
    kwargs: Kwargs | None = None  # None: no URL arguments (or filled generically, admin)
    idor: Kwargs | None = None  # the same URL naming another collaboration's objects
    data: Callable[[World], dict] | None = None  # what the POST sends (default: nothing)
    # One URL name, several concrete URLs (e.g. ``<kind>`` of implement/assess): a row of
    # its own per variant, run as separate cases named ``url-name[variant]``.
    variants: tuple[tuple[str, "Rule"], ...] = ()


def rule(*, get: dict, post: dict, **options) -> Rule:
    for outcomes in (get, post):
        assert set(outcomes) == set(PERSONAS), f"every persona needs an outcome: {outcomes}"
    return Rule(get=get, post=post, **options)


def each(**variants: Rule) -> Rule:
    """One row whose URL takes an argument with several values, each checked on its own."""
    return Rule(get={}, post={}, variants=tuple(variants.items()))


def everyone(outcome: Outcome, **exceptions: Outcome) -> dict[str, Outcome]:
    return {persona: exceptions.get(persona, outcome) for persona in PERSONAS}


def _scoped_outcomes(need: Need | None, ok: Outcome, not_theirs: bool) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {"anonymous": LOGIN}
    for persona in SIGNED_IN:
        if need is None:
            outcomes[persona] = 405
        elif persona == "outsider":
            outcomes[persona] = 404
        elif persona == "partner" and not_theirs:
            outcomes[persona] = 403
        else:
            outcomes[persona] = ok if persona in ALLOWED[need] else 403
    return outcomes


def scoped(
    *,
    get: Need | None,
    post: Need | None,
    ok_get: Outcome = 200,
    ok_post: Outcome = 302,
    kwargs: Kwargs = slug_kwargs,
    idor: Kwargs | None = None,
    data: Callable[[World], dict] | None = None,
    not_theirs: bool = False,
) -> Rule:
    """A collaboration-scoped view: sign-in, then membership (404), then role (403).

    ``not_theirs``: the record belongs to another organisation than the partner persona's,
    so the partner is refused (403) although partners may contribute.
    """
    return Rule(
        get=_scoped_outcomes(get, ok_get, not_theirs),
        post=_scoped_outcomes(post, ok_post, not_theirs),
        kwargs=kwargs,
        idor=idor,
        data=data,
    )


def signed_in(*, get: Outcome = 200, post: Outcome = 405, kwargs: Kwargs | None = None) -> Rule:
    """Any signed-in person; anonymous people are sent to sign in."""
    return Rule(
        get=everyone(get, anonymous=LOGIN), post=everyone(post, anonymous=LOGIN), kwargs=kwargs
    )


def _record(name: str, *, ok_post: Outcome, need: Need = CONTRIBUTE, **options) -> Rule:
    """Edit or delete one of this collaboration's records that another organisation owns:
    the facilitator may, the partner persona may not; IDOR with the other collaboration's."""
    options.setdefault("kwargs", ours(name))
    options.setdefault("idor", theirs(name))
    return scoped(get=need, post=need, ok_post=ok_post, not_theirs=need is CONTRIBUTE, **options)


def _sections(
    stage: str,
    kinds: tuple[str, ...],
    *,
    blocked: tuple[str, ...] = (),
    managed: tuple[str, ...] = (),
    rows: dict[str, str] | None = None,
    regions: tuple[str, ...] = (),
) -> dict:
    """The four rows of a stage's ``record_urls``, one variant per ``<kind>``: ``managed``
    kinds are facilitators' only, ``rows`` names the world's record of a kind (by default
    the kind), ``regions`` are the sections edited at paths of their own (their region
    only)."""
    rows = rows or {}

    def need(kind: str) -> Need:
        return MANAGE if kind in managed else CONTRIBUTE

    def row(kind: str) -> str:
        return rows.get(kind, kind)

    return {
        f"{stage}:section": each(
            **{
                kind: scoped(get=READ, post=None, kwargs=extra_kwargs(kind=kind))
                for kind in (*kinds, *regions)
            }
        ),
        f"{stage}:add": each(
            **{
                kind: scoped(
                    get=need(kind),
                    post=need(kind),
                    ok_post=422,
                    kwargs=extra_kwargs(kind=kind),
                    data=bound(),
                )
                for kind in kinds
            }
        ),
        f"{stage}:edit": each(
            **{
                kind: _record(
                    row(kind),
                    need=need(kind),
                    ok_post=422,
                    data=bound(),
                    kwargs=ours(row(kind), kind=kind),
                    idor=theirs(row(kind), kind=kind),
                )
                for kind in kinds
            }
        ),
        f"{stage}:delete": each(
            **{
                kind: _record(
                    row(kind),
                    need=need(kind),
                    ok_post=409 if kind in blocked else 302,
                    kwargs=ours(row(kind), kind=kind),
                    idor=theirs(row(kind), kind=kind),
                )
                for kind in kinds
            }
        ),
    }


IMPLEMENT_KINDS = ("milestones", "updates", "wins", "feedback", "issues", "champions")
ASSESS_KINDS = ("measurements", "observations", "lessons")


ADMIN = rule(get=everyone(ADMIN_LOGIN), post=everyone(ADMIN_LOGIN))

# One row per URL name (or, for unnamed patterns, the route). "namespace:*" covers every
# pattern of that namespace that has no row of its own; "prefix/*" the unnamed ones.
RULES: dict[str, Rule] = {
    # --- Core pages
    "home": signed_in(),
    "collaborations:create": signed_in(get=200, post=200),  # re-shows the form with errors
    "worksheets:overview": scoped(get=READ, post=None),
    # Asking organisations for their perspectives: facilitators (a POST without data: 422).
    "worksheets:input-request-new": scoped(get=MANAGE, post=MANAGE, ok_post=422),
    "worksheets:mention-names": scoped(get=READ, post=None),
    "collaborations:partners": scoped(get=READ, post=MANAGE, ok_post=422),
    "collaborations:partner-row": scoped(
        get=READ, post=None, ok_get=302, kwargs=partner_kwargs, idor=foreign_partner_kwargs
    ),
    "collaborations:partner-edit": scoped(
        get=MANAGE,
        post=MANAGE,
        ok_post=422,
        kwargs=partner_kwargs,
        idor=foreign_partner_kwargs,
        data=lambda w: {"name": ""},
    ),
    "collaborations:partner-delete": scoped(
        get=MANAGE, post=MANAGE, kwargs=partner_kwargs, idor=foreign_partner_kwargs
    ),
    "invitations:members": scoped(get=READ, post=None),
    "collaborations:member-change": scoped(
        get=None,
        post=MANAGE,
        kwargs=membership_kwargs,
        idor=foreign_membership_kwargs,
        data=lambda w: {"role": Role.OBSERVER, "partner": ""},
    ),
    "collaborations:member-remove": scoped(
        get=MANAGE, post=MANAGE, kwargs=membership_kwargs, idor=foreign_membership_kwargs
    ),
    # --- Invitations and the membership log
    "invitations:create": scoped(get=None, post=MANAGE, ok_post=422),
    "invitations:resend": scoped(
        get=None, post=MANAGE, kwargs=invitation_kwargs, idor=foreign_invitation_kwargs
    ),
    "invitations:revoke": scoped(
        get=None, post=MANAGE, kwargs=invitation_kwargs, idor=foreign_invitation_kwargs
    ),
    "invitations:audit-log": scoped(get=MANAGE, post=None),
    # The signed token is the credential: open to anonymous people (create an account);
    # signed in as anyone but the invitee → 403.
    "invitations:accept": rule(
        get=everyone(403, anonymous=200),
        post=everyone(403, anonymous=422),
        kwargs=lambda w: {"token": w.invitee_token},
    ),
    # --- Stages (worksheet engine): read-only pages, every tool of every stage.
    **{
        f"{stage.key}:index": scoped(get=READ, post=None)
        for stage in (get_stage(k) for k in ("diagnose", "design", "implement", "assess"))
    },
    **{
        f"{stage.key}:tool": each(
            **{
                tool.slug: scoped(get=READ, post=None, kwargs=tool_kwargs(stage.key, tool.slug))
                for tool in stage.tools
            }
        )
        for stage in (get_stage(k) for k in ("diagnose", "design", "implement", "assess"))
    },
    # --- Worksheet answers (POST only). The facilitator speaks for no organisation, so has
    # no perspective to write (422); the partner persona has none yet on QUESTION (base 0).
    "worksheets:perspective-save": rule(
        get=everyone(405, anonymous=LOGIN),
        post={
            "anonymous": LOGIN,
            "outsider": 404,
            "observer": 403,
            "partner": 302,
            "facilitator": 422,
        },
        kwargs=extra_kwargs(question_key=QUESTION),
        data=lambda w: {"text": "Our perspective", "base_version": "0"},
    ),
    "worksheets:consensus-save": scoped(
        get=None,
        post=MANAGE,
        kwargs=extra_kwargs(question_key=QUESTION),
        data=lambda w: {"text": "We agree", "status": "agreed", "base_version": "1"},
    ),
    # Proposals on agreed answers. QUESTION already has an open one (so opening another is
    # refused in place, 422); the facilitator persona speaks for no organisation, so has
    # no response to give (422); the partner persona responds for its own (302).
    "worksheets:proposal-open": scoped(
        get=None, post=MANAGE, ok_post=422, kwargs=extra_kwargs(question_key=QUESTION)
    ),
    "worksheets:proposal": scoped(
        get=READ, post=None, kwargs=ours("proposal"), idor=theirs("proposal")
    ),
    "worksheets:proposal-respond": rule(
        get=everyone(405, anonymous=LOGIN),
        post={
            "anonymous": LOGIN,
            "outsider": 404,
            "observer": 403,
            "partner": 302,
            "facilitator": 422,
        },
        kwargs=ours("proposal"),
        idor=theirs("proposal"),
        data=lambda w: {"position": "agree"},
    ),
    "worksheets:proposal-close": scoped(
        get=None, post=MANAGE, kwargs=ours("proposal"), idor=theirs("proposal")
    ),
    # Revealing (or hiding) the names in the presenter view's tally: facilitators only.
    "worksheets:proposal-names": scoped(
        get=None,
        post=MANAGE,
        kwargs=ours("proposal"),
        idor=theirs("proposal"),
        data=lambda w: {"names": "reveal"},
    ),
    "worksheets:comment-add": scoped(
        get=None,
        post=CONTRIBUTE,
        kwargs=extra_kwargs(question_key=QUESTION),
        data=lambda w: {"text": "A comment"},
    ),
    "worksheets:stage-move": scoped(
        get=None, post=MANAGE, data=lambda w: {"to_stage": "design", "from_stage": "diagnose"}
    ),
    # --- Diagnose artefacts. Regions answer htmx; a plain request gets the region on a page
    # of its own (with ?rows=, how a list shows more rows without JavaScript).
    **_sections(
        "diagnose",
        ("apprehensions",),
        rows={"apprehensions": "apprehension"},
        regions=("stakeholder-map", "sector-analysis", "decision"),
    ),
    "diagnose:map-partner-edit": scoped(
        get=MANAGE,
        post=MANAGE,
        ok_post=422,
        kwargs=partner_kwargs,
        idor=foreign_partner_kwargs,
        data=bound(influence="9"),
    ),
    # The business sector: the partner persona's organisation is a non-profit.
    "diagnose:sector-edit": scoped(
        get=CONTRIBUTE,
        post=CONTRIBUTE,
        kwargs=extra_kwargs(sector=Sector.BUSINESS),
        data=bound(interest="Skilled staff"),
        not_theirs=True,
    ),
    "diagnose:decision-edit": scoped(get=MANAGE, post=MANAGE, ok_post=422, data=bound()),
    # --- Design artefacts. Vision, goals and governance: facilitators; indicators,
    # activities and tasks: their owning organisation too.
    "design:vision-edit": scoped(get=MANAGE, post=MANAGE, data=bound(statement="Work for all")),
    "design:governance-edit": scoped(
        get=MANAGE, post=MANAGE, data=bound(structure="A steering group")
    ),
    "design:decision-rule-edit": scoped(
        get=MANAGE,
        post=MANAGE,
        data=bound(rule="consensus", quorum_percent="60", period_days="10"),
    ),
    # Goals: facilitators only. Its indicator and activity still refer to the goal, a
    # measurement to the indicator and a milestone to the activity: refused (409).
    **_sections(
        "design",
        ("goals", "indicators", "roadmap", "responsibilities"),
        rows={
            "goals": "goal",
            "indicators": "indicator",
            "roadmap": "activity",
            "responsibilities": "task",
        },
        managed=("goals",),
        blocked=("goals", "indicators", "roadmap"),
        regions=("vision", "governance", "decision-rule"),
    ),
    # --- Implement and Assess records, one variant per kind.
    **_sections("implement", IMPLEMENT_KINDS),
    **_sections("assess", ASSESS_KINDS),
    "assess:plan-edit": scoped(get=MANAGE, post=MANAGE, ok_post=422, data=bound()),
    # --- Reports
    "reports:index": scoped(get=READ, post=None),
    "reports:view": scoped(get=READ, post=None, kwargs=extra_kwargs(scope="all")),
    "reports:request": scoped(
        get=None, post=CONTRIBUTE, kwargs=extra_kwargs(scope="all"), data=lambda w: {"paper": "a4"}
    ),
    "reports:job": scoped(
        get=READ, post=None, kwargs=ours("report_job"), idor=theirs("report_job")
    ),
    "reports:download": scoped(
        get=READ, post=None, kwargs=ours("report_job"), idor=theirs("report_job")
    ),
    # The export lists members' e-mail addresses: facilitators only. The worker makes it
    # (and applies an import); its job's page and file are the facilitators' too.
    "reports:export-json": scoped(get=None, post=MANAGE, ok_post=302),
    "reports:data-job": scoped(
        get=MANAGE, post=None, kwargs=ours("data_job"), idor=theirs("data_job")
    ),
    "reports:data-job-download": scoped(
        get=MANAGE, post=None, kwargs=ours("data_job"), idor=theirs("data_job")
    ),
    "healthz": rule(get=everyone(200), post=everyone(405)),
    # No sweep or worker has run in this world: stale, said to everyone (no data in it).
    "healthz-background": rule(get=everyone(503), post=everyone(405)),
    # --- Worksheets: a question's revision history (read by every member; GET only).
    "worksheets:question-history": scoped(
        get=READ,
        post=None,
        kwargs=lambda w: {"slug": w.collab.slug, "question_key": "diagnose.engage.who-is-affected"},
    ),
    # ... and every other partner's perspective on a question (read by every member; GET only).
    "worksheets:question-perspectives": scoped(
        get=READ,
        post=None,
        kwargs=lambda w: {"slug": w.collab.slug, "question_key": "diagnose.engage.who-is-affected"},
    ),
    # ... the presenter view of a question (facilitators; it polls itself with ?live=1) ...
    "worksheets:question-present": scoped(
        get=MANAGE,
        post=None,
        kwargs=lambda w: {"slug": w.collab.slug, "question_key": "diagnose.engage.who-is-affected"},
    ),
    # ... and the short join link it shows, to the question on the tool page.
    "worksheets:question-join": scoped(
        get=READ,
        post=None,
        ok_get=302,
        kwargs=lambda w: {"slug": w.collab.slug, "question_key": "diagnose.engage.who-is-affected"},
    ),
    # --- Dashboards
    "dashboards:portfolio": signed_in(),
    # --- Notifications: each person's own (someone else's is a 404: tests/notifications).
    "notifications:list": signed_in(),
    "notifications:open": signed_in(get=404, post=405, kwargs=lambda w: {"pk": 999_999}),
    "notifications:read": signed_in(get=405, post=404, kwargs=lambda w: {"pk": 999_999}),
    "notifications:read-all": signed_in(get=405, post=302),
    "notifications:preferences": signed_in(get=200, post=422),
    # Works without signing in (a signed token); a made-up one is not found, for everyone.
    "notifications:unsubscribe": rule(
        get=everyone(404), post=everyone(404), kwargs=lambda w: {"token": "made-up"}
    ),
    # The calendar feed: the secret address is the credential (no sign-in); a made-up one
    # is not found, for everyone. A new address: each person's own, by POST.
    "notifications:calendar": rule(
        get=everyone(404), post=everyone(405), kwargs=lambda w: {"token": "made-up"}
    ),
    "notifications:calendar-reset": signed_in(get=405, post=302),
    "dashboards:collaboration": scoped(get=READ, post=None),
    # The dashboard's "Show all" lists: read by every member, like the dashboard.
    "dashboards:organisations": scoped(get=READ, post=None),
    "dashboards:milestones": scoped(get=READ, post=None),
    "dashboards:tasks": scoped(get=READ, post=None),
    # One row per URL name: the tasks table (READ). The partners table carries members'
    # e-mail addresses and is MANAGE: tests/dashboards/test_exports.py::test_who_may_download.
    "dashboards:export": scoped(
        get=READ, post=None, kwargs=lambda w: {"slug": w.collab.slug, "name": "tasks"}
    ),
    "reports:import": scoped(get=MANAGE, post=MANAGE, ok_post=422),
    # --- Accounts (Django's auth views)
    "login": rule(get=everyone(302, anonymous=200), post=everyone(302, anonymous=200)),
    "logout": rule(get=everyone(405), post=everyone(302)),
    "password_change": signed_in(get=200, post=200),
    "password_change_done": signed_in(get=200, post=405),
    "password_reset": rule(get=everyone(200), post=everyone(200)),
    "password_reset_done": rule(get=everyone(200), post=everyone(405)),
    "password_reset_confirm": rule(
        get=everyone(200),
        post=everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-valid-token"},
    ),
    "password_reset_complete": rule(get=everyone(200), post=everyone(405)),
    # --- Django admin: staff only; nobody here is staff, so everything sends to its sign-in.
    "admin:*": ADMIN,
    "admin/*": ADMIN,
    "admin:login": rule(get=everyone(200), post=everyone(200)),
    "admin:logout": rule(get=everyone(302), post=everyone(302)),  # to the admin index
    # --- Static
    "favicon.ico": rule(get=everyone(301), post=everyone(301)),
}


# --- Enumerating the URL patterns ------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with namespaces, or the route for unnamed patterns
    route: str
    name: str | None


def all_patterns() -> list[Pattern]:
    def walk(patterns, prefix: str, namespace: str | None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield Pattern(key=name or route, route=route, name=name)

    return list(walk(get_resolver().url_patterns, "", None))


def rule_key_for(pattern: Pattern) -> str | None:
    if pattern.key in RULES:
        return pattern.key
    if pattern.name and ":" in pattern.name:
        wildcard = pattern.name.rsplit(":", 1)[0] + ":*"
        if wildcard in RULES:
            return wildcard
    if not pattern.name:
        for key in RULES:
            if key.endswith("/*") and pattern.route.startswith(key[:-1]):
                return key
    return None


PATTERNS = all_patterns()


@dataclass(frozen=True)
class Case:
    """One concrete URL to request: a pattern, and for rows with variants, one of them."""

    pattern: Pattern
    variant: str | None
    rule: Rule

    @property
    def id(self) -> str:
        return f"{self.pattern.key}[{self.variant}]" if self.variant else self.pattern.key


def all_cases() -> list[Case]:
    cases = []
    for pattern in PATTERNS:
        key = rule_key_for(pattern)
        if key is None:
            continue  # test_every_url_pattern_has_a_rule names it
        row = RULES[key]
        if row.variants:
            cases += [Case(pattern, name, variant) for name, variant in row.variants]
        else:
            cases.append(Case(pattern, None, row))
    return cases


CASES = all_cases()

# Placeholders for URL arguments the admin takes (no row gives kwargs for those).
SAMPLE_ARGUMENTS = {"object_id": "1", "content_type_id": "1", "id": "1"}


def concrete_path(pattern: Pattern, rule_: Rule, world: World) -> str:
    if pattern.name and (rule_.kwargs or "<" not in pattern.route):
        return reverse(pattern.name, kwargs=rule_.kwargs(world) if rule_.kwargs else None)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "auth", pattern.route)
    path = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGUMENTS[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")


def assert_outcome(response, expected: Outcome, what: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert response.url.startswith(reverse("login") + "?next="), what
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, what
        assert response.url.startswith(reverse("admin:login") + "?next="), what
    else:
        assert response.status_code == expected, what


# --- The tests -------------------------------------------------------------------------------


def test_every_url_pattern_has_a_rule():
    missing = [p.key for p in PATTERNS if rule_key_for(p) is None]
    assert not missing, f"URL patterns without a row in RULES: {missing}"
    covered = {p.key for p in PATTERNS if rule_key_for(p) is not None}
    assert len(covered) == len({p.key for p in PATTERNS}) == EXPECTED_PATTERNS


def test_every_rule_matches_a_url_pattern():
    used = {rule_key_for(p) for p in PATTERNS}
    stale = sorted(set(RULES) - used)
    assert not stale, f"rows in RULES for URLs that no longer exist: {stale}"


def test_every_variant_row_names_its_own_urls():
    for case in CASES:
        if case.variant:
            assert set(case.rule.get) == set(case.rule.post) == set(PERSONAS), case.id


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_authorization(world: World, case: Case, persona: str):
    rule_ = case.rule
    path = concrete_path(case.pattern, rule_, world)
    client = world.clients[persona]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert_outcome(response, rule_.get[persona], f"GET {path} as {persona}")

        data = rule_.data(world) if rule_.data else {}
        response = client.post(path, data)
        assert_outcome(response, rule_.post[persona], f"POST {path} as {persona}")

    assert_other_collaboration_unchanged(world, queries)


IDOR_CASES = [case for case in CASES if case.rule.idor]


@pytest.mark.parametrize("case", IDOR_CASES, ids=lambda c: c.id)
def test_other_collaborations_object_ids_are_refused(world: World, case: Case):
    """The facilitator of this collaboration, with ids belonging to another one: 404."""
    rule_ = case.rule
    path = reverse(case.pattern.name, kwargs=rule_.idor(world))
    client = world.clients["facilitator"]
    with CaptureQueriesContext(connection) as queries:
        for method, expected in (
            ("get", rule_.get["facilitator"]),
            ("post", rule_.post["facilitator"]),
        ):
            response = getattr(client, method)(path, rule_.data(world) if rule_.data else {})
            assert response.status_code == (405 if expected == 405 else 404), f"{method} {path}"
    assert_other_collaboration_unchanged(world, queries)


def test_a_write_to_the_other_collaboration_is_caught_and_reads_are_not_rechecked(world: World):
    client = world.clients["facilitator"]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("collaborations:partners", kwargs={"slug": world.collab.slug}))
    assert not wrote_to_a_snapshot_table(queries)
    with CaptureQueriesContext(connection) as queries:
        world.other_collab.partners.update(name="Renamed behind the matrix's back")
    with pytest.raises(AssertionError, match="another collaboration changed"):
        assert_other_collaboration_unchanged(world, queries)


# The numbers the report quotes. A new URL pattern changes the first: add its row, then
# update the count here.
EXPECTED_PATTERNS = 178


def test_matrix_size():
    assert len(PATTERNS) == EXPECTED_PATTERNS
    assert len(CASES) * len(PERSONAS) >= 900
    assert len(IDOR_CASES) >= 38
