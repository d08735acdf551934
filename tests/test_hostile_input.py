"""Bad input never yields a 500 (property-based, hypothesis).

Every form on the site is posted random and hostile values: huge strings, control
characters (NUL included — PostgreSQL refuses them in text), wrong types (lists, numbers,
ids of other collaborations' objects), HTML and JavaScript. Each answer must be 2xx/3xx/4xx
(the test client re-raises any exception a view lets escape), and nothing belonging to the
other collaboration may change. Each example runs in a savepoint that is rolled back, so
examples do not depend on each other.

Add a form: one entry in ``FORMS`` — URL name, who posts it, and its fields.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assess.forms import EvaluationPlanForm
from assess.sections import SECTIONS as ASSESS_SECTIONS
from design.forms import (
    ActivityForm,
    GoalForm,
    GovernanceForm,
    IndicatorForm,
    TaskForm,
    VisionForm,
)
from diagnose.forms import ApprehensionForm, DecisionForm, MapScoresForm, SectorAnalysisForm
from implement.sections import SECTIONS as IMPLEMENT_SECTIONS
from intersector.collaborations.models import Partner, Sector, Stage
from intersector.worksheets.models import Consensus
from tests.test_authorization_matrix import (
    QUESTION,
    World,
    extra_kwargs,
    invitation_kwargs,
    make_clients,
    membership_kwargs,
    other_collaboration_snapshot,
    ours,
    partner_kwargs,
    slug_kwargs,
    world_in_outer_transaction,
)

HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 10,
    "2025-01-01\x00",
    "\r\n\t\x0b\x0c\x1b[31m",
    "\u202e\u200b\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE collaborations_partner; --",
    "-1",
    "0",
    "99999999999999999999999",
    "1.5",
    "1e400",
    "-1E-400",
    "NaN",
    "sNaN",
    "Infinity",
    "null",
    "true",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "-2024-01-01",
    "x" * 5_001,
    "é" * 70_000,
    "@",
    "a@b",
    "facilitator@test.example",
    "nobody@test.example\x00",
    "🙂" * 300,
]

# Edge values that pass a field's own parsing, so that forms are often valid and the
# value reaches the database and the pages that draw it.
DATES = ["2025-06-01", "2026-12-31", "1900-01-01", "0001-01-01", "9999-12-31"]
DECIMALS = ["150.5", "0", "-3", "999999999999.99", "-999999999999.99", "1E+11", "0.001"]
INTEGERS = ["3", "0", "2147483647", "2147483648", "9223372036854775808", "-1"]
TEXTS = ["A plain answer", "<b>bold</b> & more", "x" * 200, "x" * 201]


def hostile_value(foreign_ids: list[int], valid: list[str]) -> st.SearchStrategy:
    text = st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.text(st.characters(codec="utf-8"), max_size=300),  # what a browser can send
        st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from([str(i) for i in foreign_ids]),
    )
    if valid:
        text = st.one_of(st.sampled_from(valid), st.sampled_from(valid), text)
    # A list posts the field several times (a wrong type for a single-valued field).
    return st.one_of(text, st.lists(text, min_size=2, max_size=3))


Values = Callable[[World], dict[str, list[str]]]


@dataclass(frozen=True)
class Form:
    url: str
    persona: str
    fields: tuple[str, ...]
    kwargs: Callable[[World], dict] = slug_kwargs
    # Plausible values per field, mixed in with the hostile ones.
    valid: Values = field(default=lambda w: {})
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or self.url


def own_ids(world: World, model) -> list[str]:
    """Primary keys of this collaboration's rows of ``model``."""
    if model is Partner:
        return [str(world.partner_org.pk), str(world.other_org.pk)]
    if model is get_user_model():
        return [str(u.pk) for u in world.users.values()]
    return [str(o.pk) for o in world.ours.values() if isinstance(o, model)]


def values_for(form_class: type[forms.BaseForm]) -> Values:
    """Plausible values for every field of a form class, found from its fields."""

    def build(world: World) -> dict[str, list[str]]:
        values = {}
        for name, form_field in form_class.base_fields.items():
            if isinstance(form_field, forms.ModelChoiceField):
                values[name] = own_ids(world, form_field.queryset.model)
            elif isinstance(form_field, forms.ChoiceField):
                values[name] = [str(v) for v, _label in form_field.choices if v != ""]
            elif isinstance(form_field, forms.DateField):
                values[name] = DATES
            elif isinstance(form_field, forms.DecimalField):
                values[name] = DECIMALS
            elif isinstance(form_field, forms.IntegerField):
                values[name] = INTEGERS
            else:
                values[name] = TEXTS
        return values

    return build


def form(url, persona, form_class, kwargs=slug_kwargs, name="") -> Form:
    return Form(
        url,
        persona,
        tuple(form_class.base_fields),
        kwargs=kwargs,
        valid=values_for(form_class),
        name=name,
    )


def _section_forms(stage: str, sections: dict) -> list[Form]:
    """Add (as the partner persona: the record becomes their organisation's) and edit (as
    the facilitator) for every kind of an implement/assess-style stage."""
    result = []
    for kind, section in sections.items():
        result.append(
            form(
                f"{stage}:add",
                "partner",
                section.form_class,
                kwargs=extra_kwargs(kind=kind),
                name=f"{stage}:add[{kind}]",
            )
        )
        result.append(
            form(
                f"{stage}:edit",
                "facilitator",
                section.form_class,
                kwargs=ours(kind, kind=kind),
                name=f"{stage}:edit[{kind}]",
            )
        )
    return result


def question(**extra) -> Callable[[World], dict]:
    return extra_kwargs(question_key=QUESTION, **extra)


ANSWER_VALUES = {"text": TEXTS + ["x" * 10_001], "base_version": ["0", "1", "2", "-1"]}

FORMS = [
    Form(
        "collaborations:create",
        "facilitator",
        ("title", "problem_statement", "origin", "context"),
        kwargs=lambda w: {},
    ),
    Form(
        "collaborations:partners",
        "facilitator",
        ("name", "sector", "influence", "proximity", "engagement", "expertise", "resources"),
    ),
    Form(
        "collaborations:partner-edit",
        "facilitator",
        ("name", "sector", "influence", "proximity", "engagement", "expertise", "resources"),
        kwargs=partner_kwargs,
    ),
    Form("invitations:members", "facilitator", ("email", "role", "partner")),
    Form(
        "collaborations:member-change", "facilitator", ("role", "partner"), kwargs=membership_kwargs
    ),
    Form("invitations:create", "facilitator", ("email", "role", "partner")),
    Form("invitations:resend", "facilitator", ("pk",), kwargs=invitation_kwargs),
    Form("invitations:revoke", "facilitator", ("pk",), kwargs=invitation_kwargs),
    Form(
        "invitations:accept",
        "anonymous",
        ("full_name", "password1", "password2"),
        kwargs=lambda w: {"token": w.invitee_token},
    ),
    Form("login", "anonymous", ("username", "password", "next"), kwargs=lambda w: {}),
    Form("password_reset", "anonymous", ("email",), kwargs=lambda w: {}),
    Form(
        "password_change",
        "partner",
        ("old_password", "new_password1", "new_password2"),
        kwargs=lambda w: {},
    ),
    # --- Worksheets: perspectives, agreed answers, comments, the stage
    Form(
        "worksheets:perspective-save",
        "partner",
        ("text", "base_version"),
        kwargs=question(),
        valid=lambda w: ANSWER_VALUES,
    ),
    Form(
        "worksheets:consensus-save",
        "facilitator",
        ("text", "status", "base_version"),
        kwargs=question(),
        valid=lambda w: {**ANSWER_VALUES, "status": Consensus.Status.values},
    ),
    Form(
        "worksheets:comment-add",
        "partner",
        ("text",),
        kwargs=question(),
        valid=lambda w: {"text": TEXTS + ["x" * 2_001]},
    ),
    Form(
        "worksheets:stage-move",
        "facilitator",
        ("to_stage", "from_stage"),
        valid=lambda w: {"to_stage": Stage.values, "from_stage": Stage.values},
    ),
    # --- Diagnose
    form("diagnose:map-partner-edit", "facilitator", MapScoresForm, kwargs=partner_kwargs),
    form(
        "diagnose:sector-edit",
        "partner",
        SectorAnalysisForm,
        kwargs=extra_kwargs(sector=Sector.NONPROFIT),
    ),
    form(
        "diagnose:add",
        "partner",
        ApprehensionForm,
        extra_kwargs(kind="apprehensions"),
        name="diagnose:add[apprehensions]",
    ),
    form(
        "diagnose:edit",
        "facilitator",
        ApprehensionForm,
        ours("apprehension", kind="apprehensions"),
        name="diagnose:edit[apprehensions]",
    ),
    form("diagnose:decision-edit", "facilitator", DecisionForm),
    # --- Design
    form("design:vision-edit", "facilitator", VisionForm),
    form(
        "design:add", "facilitator", GoalForm, extra_kwargs(kind="goals"), name="design:add[goals]"
    ),
    form(
        "design:edit",
        "facilitator",
        GoalForm,
        ours("goal", kind="goals"),
        name="design:edit[goals]",
    ),
    form(
        "design:add",
        "partner",
        IndicatorForm,
        extra_kwargs(kind="indicators"),
        name="design:add[indicators]",
    ),
    form(
        "design:edit",
        "facilitator",
        IndicatorForm,
        ours("indicator", kind="indicators"),
        name="design:edit[indicators]",
    ),
    form(
        "design:add",
        "facilitator",
        ActivityForm,
        extra_kwargs(kind="roadmap"),
        name="design:add[roadmap]",
    ),
    form(
        "design:edit",
        "facilitator",
        ActivityForm,
        ours("activity", kind="roadmap"),
        name="design:edit[roadmap]",
    ),
    form(
        "design:add",
        "partner",
        TaskForm,
        extra_kwargs(kind="responsibilities"),
        name="design:add[responsibilities]",
    ),
    form(
        "design:edit",
        "facilitator",
        TaskForm,
        ours("task", kind="responsibilities"),
        name="design:edit[responsibilities]",
    ),
    form("design:governance-edit", "facilitator", GovernanceForm),
    # --- Implement and Assess
    *_section_forms("implement", IMPLEMENT_SECTIONS),
    *_section_forms("assess", ASSESS_SECTIONS),
    form("assess:plan-edit", "facilitator", EvaluationPlanForm),
    # --- Reports
    Form(
        "reports:request",
        "partner",
        ("paper",),
        kwargs=extra_kwargs(scope="all"),
        valid=lambda w: {"paper": ["a4", "letter"]},
    ),
]


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    yield from world_in_outer_transaction(django_db_blocker)


@pytest.fixture
def world(module_world, db) -> World:
    """The module's World with fresh clients; each test's writes are rolled back."""
    module_world.clients = make_clients(module_world)
    return module_world


def foreign_ids(world: World) -> list[int]:
    return [
        world.foreign_partner.pk,
        world.foreign_membership.pk,
        world.foreign_invitation.pk,
        world.other_collab.pk,
        *(row.pk for row in world.theirs.values()),
    ]


def test_every_form_class_of_the_project_is_posted():
    """A new form class in a stage app must get an entry in ``FORMS``."""
    posted = {f.url for f in FORMS}
    for url in (
        "worksheets:perspective-save",
        "worksheets:consensus-save",
        "worksheets:comment-add",
        "worksheets:stage-move",
        "reports:request",
        "assess:plan-edit",
        "invitations:create",
    ):
        assert url in posted
    kinds = {f.name for f in FORMS}
    for stage, sections in (("implement", IMPLEMENT_SECTIONS), ("assess", ASSESS_SECTIONS)):
        for kind in sections:
            assert {f"{stage}:add[{kind}]", f"{stage}:edit[{kind}]"} <= kinds


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_hostile_input_never_gives_a_500(world: World, form: Form):
    ids = foreign_ids(world)
    path = reverse(form.url, kwargs=form.kwargs(world))
    client = world.clients[form.persona]
    valid = form.valid(world)
    strategy = st.fixed_dictionaries(
        {}, optional={f: hostile_value(ids, valid.get(f, [])) for f in form.fields}
    )
    before = world.other_snapshot

    @given(data=strategy, htmx=st.booleans())
    def post(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            response = client.post(path, data, headers=headers)
            assert response.status_code < 500, (response.status_code, data)
            assert other_collaboration_snapshot(world) == before
            transaction.set_rollback(True)

    post()


def test_nul_characters_are_refused_cleanly(world: World):
    """PostgreSQL cannot store NUL: the form says so instead of the database failing."""
    client = world.clients["facilitator"]
    url = reverse("collaborations:partners", kwargs={"slug": world.collab.slug})
    response = client.post(
        url,
        {
            "name": "Bad\x00Name",
            "sector": "business",
            "influence": 3,
            "proximity": 3,
            "engagement": "engaged",
            "expertise": "a\x00b",
        },
    )
    assert response.status_code == 422
    assert "Null characters are not allowed" in response.content.decode()
    assert not world.collab.partners.filter(name__startswith="Bad").exists()


def test_another_collaborations_partner_cannot_be_assigned(world: World):
    client = world.clients["facilitator"]
    url = reverse("collaborations:member-change", kwargs=membership_kwargs(world))
    client.post(url, {"role": "partner", "partner": world.foreign_partner.pk})
    world.partner_membership.refresh_from_db()
    assert world.partner_membership.partner_id == world.partner_org.pk


def test_a_worksheet_answer_with_a_nul_character_is_refused_with_a_message(world: World):
    url = reverse("worksheets:perspective-save", kwargs=question()(world))
    response = world.clients["partner"].post(url, {"text": "a\x00b", "base_version": "0"})
    assert response.status_code == 422
    assert "null character" in response.content.decode()


def test_a_forged_base_version_beyond_the_database_range_is_refused(world: World):
    url = reverse("worksheets:perspective-save", kwargs=question()(world))
    response = world.clients["partner"].post(url, {"text": "Hi", "base_version": str(2**40)})
    assert response.status_code == 422
    assert "out of date" in response.content.decode()


def test_dates_beyond_the_supported_range_are_refused(world: World):
    """9999-12-31 is a date, but the roadmap computes the day after it."""
    url = reverse("design:edit", kwargs=ours("activity", kind="roadmap")(world))
    activity = world.ours["activity"]
    response = world.clients["facilitator"].post(
        url,
        {
            "goal": activity.goal_id,
            "title": activity.title,
            "lead": activity.lead_id,
            "start": "2025-01-01",
            "end": "9999-12-31",
        },
    )
    assert response.status_code == 422
    assert "Choose a date between" in response.content.decode()
    activity.refresh_from_db()
    assert activity.end.year == 2027


def test_ids_too_large_for_the_database_are_invalid_choices(world: World):
    url = reverse("assess:add", kwargs=extra_kwargs(kind="lessons")(world))
    response = world.clients["partner"].post(
        url,
        {
            "title": "Start small",
            "audience": "internal",
            "evidence": "The pilot",
            "recommendation": "Pilot first",
            "measurements": str(2**64),
        },
    )
    assert response.status_code == 422
    assert "is not a valid value" in response.content.decode()
