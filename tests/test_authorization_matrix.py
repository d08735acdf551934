"""Authorisation matrix (R3): every URL pattern × every persona × GET and POST.

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

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from intersector.collaborations.access import Need
from intersector.collaborations.models import Membership, Role, Sector
from intersector.invitations.models import Invitation, new_key
from intersector.invitations.tokens import make_token
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
    partner_org: object
    users: dict
    partner_membership: object
    invitation: object
    invitee_token: str
    other_collab: object
    foreign_partner: object
    foreign_membership: object
    foreign_invitation: object
    clients: dict = field(default_factory=dict)


def build_world() -> World:
    collab = make_collaboration("Youth Jobs Compact", slug="youth-jobs")
    partner_org = make_partner(collab, "Bright Futures", sector=Sector.NONPROFIT)
    users = {
        "facilitator": make_user("facilitator@test.example", "Fran Facilitator"),
        "partner": make_user("partner@test.example", "Pat Partner"),
        "observer": make_user("observer@test.example", "Olive Observer"),
        "outsider": make_user("outsider@test.example", "Otto Outsider"),
    }
    make_member(users["facilitator"], collab, Role.FACILITATOR)
    partner_membership = make_member(users["partner"], collab, Role.PARTNER, partner_org)
    make_member(users["observer"], collab, Role.OBSERVER)
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
        users=users,
        partner_membership=partner_membership,
        invitation=invitation,
        invitee_token=make_token(invitation.key),
        other_collab=other,
        foreign_partner=foreign_partner,
        foreign_membership=foreign_membership,
        foreign_invitation=foreign_invitation,
    )
    world.clients = {"anonymous": Client(), **{p: client_for(u) for p, u in users.items()}}
    return world


def other_collaboration_snapshot(world: World) -> tuple:
    """Everything belonging to the other collaboration, to prove a request left it alone."""
    other = world.other_collab
    other.refresh_from_db()
    return (
        (other.title, other.problem_statement, other.context, other.current_stage),
        tuple(other.partners.order_by("pk").values_list()),
        tuple(Membership.objects.filter(collaboration=other).order_by("pk").values_list()),
        tuple(Invitation.objects.filter(collaboration=other).order_by("pk").values_list()),
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


def tool_kwargs(stage_key: str) -> Kwargs:
    return lambda w: {"slug": w.collab.slug, "tool_slug": get_stage(stage_key).tools[0].slug}


@dataclass(frozen=True)
class Rule:
    get: dict[str, Outcome]
    post: dict[str, Outcome]
    kwargs: Kwargs | None = None  # None: no URL arguments (or filled generically, admin)
    idor: Kwargs | None = None  # the same URL naming another collaboration's objects
    data: Callable[[World], dict] | None = None  # what the POST sends (default: nothing)


def rule(*, get: dict, post: dict, **options) -> Rule:
    for outcomes in (get, post):
        assert set(outcomes) == set(PERSONAS), f"every persona needs an outcome: {outcomes}"
    return Rule(get=get, post=post, **options)


def everyone(outcome: Outcome, **exceptions: Outcome) -> dict[str, Outcome]:
    return {persona: exceptions.get(persona, outcome) for persona in PERSONAS}


def _scoped_outcomes(need: Need | None, ok: Outcome) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {"anonymous": LOGIN}
    for persona in SIGNED_IN:
        if need is None:
            outcomes[persona] = 405
        elif persona == "outsider":
            outcomes[persona] = 404
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
) -> Rule:
    """A collaboration-scoped view: sign-in, then membership (404), then role (403)."""
    return Rule(
        get=_scoped_outcomes(get, ok_get),
        post=_scoped_outcomes(post, ok_post),
        kwargs=kwargs,
        idor=idor,
        data=data,
    )


def signed_in(*, get: Outcome = 200, post: Outcome = 405, kwargs: Kwargs | None = None) -> Rule:
    """Any signed-in person; anonymous people are sent to sign in."""
    return Rule(
        get=everyone(get, anonymous=LOGIN), post=everyone(post, anonymous=LOGIN), kwargs=kwargs
    )


ADMIN = rule(get=everyone(ADMIN_LOGIN), post=everyone(ADMIN_LOGIN))

# One row per URL name (or, for unnamed patterns, the route). "namespace:*" covers every
# pattern of that namespace that has no row of its own; "prefix/*" the unnamed ones.
RULES: dict[str, Rule] = {
    # --- Core pages
    "home": signed_in(),
    "collaborations:create": signed_in(get=200, post=200),  # re-shows the form with errors
    "collaborations:overview": scoped(get=READ, post=None),
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
    "collaborations:members": scoped(get=READ, post=MANAGE, ok_post=422),
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
    # --- Stages (worksheet engine). POST is not refused yet: these pages only read.
    **{
        f"{stage}:index": scoped(get=READ, post=READ, ok_post=200)
        for stage in ("diagnose", "design", "implement", "assess")
    },
    **{
        f"{stage}:tool": scoped(get=READ, post=READ, ok_post=200, kwargs=tool_kwargs(stage))
        for stage in ("diagnose", "design", "implement", "assess")
    },
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
    # --- Dashboards
    "dashboards:portfolio": signed_in(),
    "dashboards:collaboration": scoped(get=READ, post=None),
    # One row per URL name: the tasks table (READ). The partners table carries members'
    # e-mail addresses and is MANAGE: tests/dashboards/test_exports.py::test_who_may_download.
    "dashboards:export": scoped(
        get=READ, post=None, kwargs=lambda w: {"slug": w.collab.slug, "name": "tasks"}
    ),
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
    assert len(covered) == len({p.key for p in PATTERNS})


def test_every_rule_matches_a_url_pattern():
    used = {rule_key_for(p) for p in PATTERNS}
    stale = sorted(set(RULES) - used)
    assert not stale, f"rows in RULES for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.key)
def test_authorization(db, pattern: Pattern, persona: str):
    rule_ = RULES[rule_key_for(pattern)]
    world = build_world()
    path = concrete_path(pattern, rule_, world)
    client = world.clients[persona]
    before = other_collaboration_snapshot(world)

    response = client.get(path)
    assert_outcome(response, rule_.get[persona], f"GET {path} as {persona}")

    data = rule_.data(world) if rule_.data else {}
    response = client.post(path, data)
    assert_outcome(response, rule_.post[persona], f"POST {path} as {persona}")

    assert other_collaboration_snapshot(world) == before, "another collaboration changed"


IDOR_CASES = [p for p in PATTERNS if (key := rule_key_for(p)) and RULES[key].idor]


@pytest.mark.parametrize("pattern", IDOR_CASES, ids=lambda p: p.key)
def test_other_collaborations_object_ids_are_refused(db, pattern: Pattern):
    """The facilitator of this collaboration, with ids belonging to another one: 404."""
    rule_ = RULES[rule_key_for(pattern)]
    world = build_world()
    path = reverse(pattern.name, kwargs=rule_.idor(world))
    client = world.clients["facilitator"]
    before = other_collaboration_snapshot(world)
    for method, expected in (
        ("get", rule_.get["facilitator"]),
        ("post", rule_.post["facilitator"]),
    ):
        response = getattr(client, method)(path, rule_.data(world) if rule_.data else {})
        assert response.status_code == (405 if expected == 405 else 404), f"{method} {path}"
    assert other_collaboration_snapshot(world) == before


def test_matrix_size():
    """The numbers the report quotes: patterns covered, cases run."""
    assert len(PATTERNS) >= 30
    assert len(IDOR_CASES) >= 7
