"""Asking the partner organisations to agree an answer: rounds, responses, outcomes."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role, Sector
from intersector.notifications.models import Event, Notification
from intersector.worksheets import services
from intersector.worksheets.consent import Tally, decide
from intersector.worksheets.models import (
    Consensus,
    DecisionRule,
    Outcome,
    Proposal,
    ProposalResponse,
)
from intersector.worksheets.periodic import proposals_sweep
from tests.tasks import committed, run_queued_tasks
from tests.world import make_member, make_partner, make_user

pytestmark = pytest.mark.django_db

QUESTION = "design.governance.decision-rule"
CONSENT, CONSENSUS, MAJORITY = (r.value for r in DecisionRule.Rule)


# --- The outcome, as a plain function -------------------------------------------------------


def tally(*positions, organisations=4):
    return Tally.of(positions, organisations=organisations)


@pytest.mark.parametrize(
    ("rule", "positions", "expected"),
    [
        (CONSENT, ("agree", "stand_aside"), Outcome.PASSED),
        (CONSENT, ("agree", "object"), Outcome.NOT_PASSED),
        (CONSENT, ("stand_aside", "stand_aside"), Outcome.PASSED),  # nobody objects
        (CONSENT, ("reservations", "reservations"), Outcome.PASSED),
        (CONSENSUS, ("agree", "reservations"), Outcome.PASSED),
        (CONSENSUS, ("agree", "stand_aside"), Outcome.PASSED),
        (CONSENSUS, ("agree", "agree", "object"), Outcome.NOT_PASSED),
        (CONSENSUS, ("stand_aside", "stand_aside"), Outcome.NOT_PASSED),  # nobody agrees
        (MAJORITY, ("agree", "agree", "object"), Outcome.PASSED),
        (MAJORITY, ("agree", "object"), Outcome.NOT_PASSED),  # a tie is not a majority
        # Stand-asides count toward the quorum, not toward agreement.
        (MAJORITY, ("agree", "object", "stand_aside", "stand_aside"), Outcome.NOT_PASSED),
        (MAJORITY, ("reservations", "stand_aside", "stand_aside"), Outcome.PASSED),
    ],
)
def test_each_rule_decides_with_quorum(rule, positions, expected):
    assert decide(rule=rule, quorum_percent=50, tally=tally(*positions)) == expected


@pytest.mark.parametrize("rule", [CONSENT, CONSENSUS, MAJORITY])
def test_without_quorum_no_rule_passes_or_fails(rule):
    assert decide(rule=rule, quorum_percent=50, tally=tally("agree")) == Outcome.NO_QUORUM
    assert decide(rule=rule, quorum_percent=75, tally=tally("agree", "agree")) == (
        Outcome.NO_QUORUM
    )
    assert decide(rule=rule, quorum_percent=50, tally=tally()) == Outcome.NO_QUORUM


def test_stand_asides_make_the_quorum():
    # One agreement alone is a quarter; with two stand-asides three of four responded.
    assert decide(rule=CONSENT, quorum_percent=75, tally=tally("agree")) == Outcome.NO_QUORUM
    assert (
        decide(rule=CONSENT, quorum_percent=75, tally=tally("agree", "stand_aside", "stand_aside"))
        == Outcome.PASSED
    )


def test_the_tally_counts_positions_and_the_response_rate():
    t = tally("agree", "reservations", "object", organisations=5)
    assert (t.responded, t.supporting, t.not_responded, t.response_rate) == (3, 2, 2, 60)


# --- The services ---------------------------------------------------------------------------


class People:
    """A facilitator (speaking for the backbone organisation), two partners of two other
    organisations, a second member of the first partner's organisation, an observer."""

    def __init__(self, collab):
        self.collab = collab
        self.backbone = make_partner(collab, "Backbone Trust", sector=Sector.NONPROFIT)
        self.city = make_partner(collab, "City Agency", sector=Sector.GOVERNMENT)
        self.firm = make_partner(collab, "Northfield Manufacturing", sector=Sector.BUSINESS)
        make_partner(collab, "Prospect Bank", sector=Sector.BUSINESS)  # nobody speaks for it
        self.facilitator = self._member("fran@test.example", Role.FACILITATOR, self.backbone)
        self.city_1 = self._member("cora@test.example", Role.PARTNER, self.city)
        self.city_2 = self._member("carl@test.example", Role.PARTNER, self.city)
        self.firm_1 = self._member("finn@test.example", Role.PARTNER, self.firm)
        self.observer = self._member("olive@test.example", Role.OBSERVER, None)

    def _member(self, email, role, partner):
        membership = make_member(
            make_user(email, email.split("@")[0].title()), self.collab, role, partner
        )
        return Access(collaboration=self.collab, membership=membership)


@pytest.fixture
def people(collab):
    return People(collab)


def draft(people, text="We decide by consent, reviewed yearly."):
    Consensus.objects.update_or_create(
        collaboration=people.collab,
        question_key=QUESTION,
        defaults={"text": text, "status": Consensus.Status.DISCUSSED, "version": 1},
    )


def open_round(people, **kwargs):
    draft(people, kwargs.pop("text", "We decide by consent, reviewed yearly."))
    return services.proposal_open(access=people.facilitator, question_key=QUESTION, **kwargs)


def respond(access, proposal, position, reason="", **kwargs):
    return services.response_save(
        access=access, proposal_id=proposal.pk, position=position, reason=reason, **kwargs
    )


def test_opening_freezes_the_text_with_the_default_rule_and_period(people):
    proposal = open_round(people)
    Consensus.objects.filter(question_key=QUESTION).update(text="Edited while open")
    proposal.refresh_from_db()
    assert proposal.text == "We decide by consent, reviewed yearly."
    assert (proposal.round, proposal.rule, proposal.quorum_percent) == (1, CONSENT, 50)
    closes = timezone.localtime(proposal.closes_at)
    assert closes.date() == timezone.localdate() + dt.timedelta(days=7)
    assert closes.time() == dt.time(23, 59)  # the end of the closing day


def test_the_collaborations_rule_and_period_are_used(people):
    DecisionRule.objects.create(
        collaboration=people.collab, rule=MAJORITY, quorum_percent=75, period_days=3
    )
    proposal = open_round(people)
    assert (proposal.rule, proposal.quorum_percent) == (MAJORITY, 75)
    assert timezone.localtime(proposal.closes_at).date() == (
        timezone.localdate() + dt.timedelta(days=3)
    )


def test_only_a_facilitator_opens_and_only_with_text_and_one_open_round(people):
    draft(people, "")
    with pytest.raises(ValidationError, match="Write the agreed answer first"):
        services.proposal_open(access=people.facilitator, question_key=QUESTION)
    draft(people)
    with pytest.raises(PermissionDenied):
        services.proposal_open(access=people.city_1, question_key=QUESTION)
    services.proposal_open(access=people.facilitator, question_key=QUESTION)
    with pytest.raises(ValidationError, match="already being asked"):
        services.proposal_open(access=people.facilitator, question_key=QUESTION)
    with pytest.raises(ValidationError, match="from today on"):
        Proposal.objects.update(closed_at=timezone.now())
        services.proposal_open(
            access=people.facilitator,
            question_key=QUESTION,
            closes_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_a_response_can_be_changed_until_close(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "object", "Too vague")
    respond(people.city_1, proposal, "agree")
    (response,) = ProposalResponse.objects.all()
    assert (response.position, response.reason, response.partner) == ("agree", "", people.city)


def test_two_members_of_one_organisation_the_later_response_stands(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")
    respond(people.city_2, proposal, "reservations", "Budget unclear")
    (response,) = ProposalResponse.objects.all()
    assert response.position == "reservations"
    assert response.author == people.city_2.membership.user


def test_the_tally_counts_each_organisation_once_and_a_change_replaces_its_position(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")
    # Backbone, City and Northfield have members who may respond; Prospect Bank has none.
    assert services.proposal_tally(proposal) == Tally(agree=1, organisations=3)
    respond(people.firm_1, proposal, "object", "Not without a budget.")
    respond(people.city_2, proposal, "stand_aside")
    assert services.proposal_tally(proposal) == Tally(stand_aside=1, object=1, organisations=3)
    assert ProposalResponse.objects.filter(proposal=proposal).count() == 2


def test_reasons_are_required_for_reservations_and_objections(people):
    proposal = open_round(people)
    for position in ("reservations", "object"):
        with pytest.raises(ValidationError, match="Give a reason"):
            respond(people.city_1, proposal, position, "   ")
    respond(people.city_1, proposal, "stand_aside")  # optional otherwise
    with pytest.raises(ValidationError, match="Choose your organisation's position"):
        respond(people.city_1, proposal, "veto", "No")


def test_observers_cannot_respond_and_nobody_for_another_organisation(people):
    proposal = open_round(people)
    with pytest.raises(PermissionDenied):
        respond(people.observer, proposal, "agree")
    with pytest.raises(PermissionDenied):
        respond(people.city_1, proposal, "object", "No", partner_id=people.firm.pk)
    respond(people.facilitator, proposal, "agree", partner_id=people.backbone.pk)
    assert list(ProposalResponse.objects.values_list("partner", flat=True)) == [people.backbone.pk]


def test_a_late_response_is_refused_with_a_clear_message(people):
    proposal = open_round(people)
    Proposal.objects.update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    proposal.refresh_from_db()
    with pytest.raises(ValidationError, match="this proposal closed on .* no longer accepted"):
        respond(people.city_1, proposal, "agree")
    services.proposal_close(access=people.facilitator, proposal=proposal)
    with pytest.raises(ValidationError, match="no longer accepted"):
        respond(people.firm_1, proposal, "agree")
    assert not ProposalResponse.objects.exists()


def test_passing_makes_the_answer_agreed_by_that_proposal(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")
    respond(people.firm_1, proposal, "stand_aside")
    closed = services.proposal_close(
        access=people.facilitator, proposal=proposal, statement="Adopted."
    )
    assert (closed.outcome, closed.organisations, closed.outcome_statement) == (
        Outcome.PASSED,
        3,
        "Adopted.",
    )
    consensus = Consensus.objects.get()
    assert consensus.status == Consensus.Status.AGREED
    assert consensus.agreed_by == proposal
    assert not consensus.changed_since_agreed
    with pytest.raises(ValidationError, match="already closed"):
        services.proposal_close(access=people.facilitator, proposal=proposal)


def test_an_objection_fails_consent_and_a_second_round_passes(people):
    first = open_round(people)
    respond(people.city_1, first, "agree")
    respond(people.firm_1, first, "object", "Who breaks a tie?")
    assert services.proposal_close(access=people.facilitator, proposal=first).outcome == (
        Outcome.NOT_PASSED
    )
    assert Consensus.objects.get().status == Consensus.Status.DISCUSSED
    second = open_round(people, text="Consent; the chair breaks a tie.")
    assert second.round == 2
    respond(people.city_1, second, "agree")
    respond(people.firm_1, second, "reservations", "Review the chair yearly")
    assert services.proposal_close(access=people.facilitator, proposal=second).outcome == (
        Outcome.PASSED
    )
    assert Consensus.objects.get().agreed_by == second
    assert ProposalResponse.objects.filter(proposal=first).count() == 2  # history stays


def test_too_few_responses_is_no_quorum(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")  # one of three organisations
    assert services.proposal_close(access=people.facilitator, proposal=proposal).outcome == (
        Outcome.NO_QUORUM
    )
    assert Consensus.objects.get().status == Consensus.Status.DISCUSSED


def test_editing_after_passing_marks_it_changed_since_agreed(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")
    respond(people.firm_1, proposal, "agree")
    services.proposal_close(access=people.facilitator, proposal=proposal)
    consensus = Consensus.objects.get()
    saved = services.consensus_save(
        access=people.facilitator,
        question_key=QUESTION,
        text="Something else",
        status="agreed",
        base_version=consensus.version,
    )
    assert Consensus.objects.get().changed_since_agreed
    services.consensus_save(
        access=people.facilitator,
        question_key=QUESTION,
        text=proposal.text,
        status="agreed",
        base_version=saved.version,
    )
    assert not Consensus.objects.get().changed_since_agreed  # back to what was agreed


def test_the_sweep_closes_due_proposals_once(people):
    proposal = open_round(people)
    respond(people.city_1, proposal, "agree")
    respond(people.firm_1, proposal, "agree")
    later = proposal.closes_at + dt.timedelta(minutes=1)
    assert proposals_sweep(proposal.closes_at - dt.timedelta(days=3)) == 0
    assert proposals_sweep(later) == 1
    assert proposals_sweep(later) == 0  # idempotent
    proposal.refresh_from_db()
    assert (proposal.outcome, proposal.closed_by) == (Outcome.PASSED, None)
    assert Consensus.objects.get().agreed_by == proposal
    assert Event.objects.filter(kind="proposal_outcome").count() == 1


# --- Notifications ---------------------------------------------------------------------------


def told(kind):
    return set(
        Notification.objects.filter(event__kind=kind).values_list("recipient__email", flat=True)
    )


def test_opening_notifies_every_organisations_members_not_observers(people):
    with committed():
        open_round(people)
    run_queued_tasks()
    assert told("proposal_opened") == {
        "cora@test.example",
        "carl@test.example",
        "finn@test.example",
    }  # not the facilitator who opened it, not the observer


def test_the_reminder_reaches_only_organisations_that_have_not_responded_once(people):
    proposal = open_round(people)
    respond(people.city_2, proposal, "agree")
    day_before = proposal.closes_at - dt.timedelta(hours=20)
    with committed():
        assert proposals_sweep(proposal.closes_at - dt.timedelta(hours=30)) == 0  # too early
        assert proposals_sweep(day_before) == 1
        assert proposals_sweep(day_before) == 0
        Proposal.objects.update(reminded_at=None)  # even a second claim sends nothing twice
        proposals_sweep(day_before)
    run_queued_tasks()
    assert told("proposal_reminder") == {"finn@test.example", "fran@test.example"}
    assert Event.objects.filter(kind="proposal_reminder").count() == 1


def test_the_outcome_reaches_everyone(people):
    proposal = open_round(people)
    with committed():
        services.proposal_close(access=people.facilitator, proposal=proposal)
    run_queued_tasks()
    assert told("proposal_outcome") == {
        "cora@test.example",
        "carl@test.example",
        "finn@test.example",
        "olive@test.example",
    }
    assert Membership.objects.filter(collaboration=people.collab).count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_members_responding_at_the_same_moment_one_response_stands(collab):
    """Real threads, two members of one organisation: never an error, one row, the later
    write is the one kept (the proposal's row lock orders them)."""
    people = People(collab)
    proposal = open_round(people)
    members = [people.city_1, people.city_2]
    for attempt in range(20):
        barrier, errors = threading.Barrier(2), []

        def race(i, barrier=barrier, errors=errors, attempt=attempt):
            barrier.wait()
            try:
                respond(members[i], proposal, "reservations", f"{attempt}-{i}")
            except Exception as exc:  # noqa: BLE001 - any error fails the test below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        (response,) = ProposalResponse.objects.filter(proposal=proposal)
        assert response.reason in {f"{attempt}-0", f"{attempt}-1"}
        # The kept author wrote the kept reason: the later write replaced both together.
        writer = 0 if response.reason.endswith("-0") else 1
        assert response.author == members[writer].membership.user
