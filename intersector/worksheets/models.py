"""Answers to the toolkit's guiding questions.

Each answer is one row, the current one: a partner organisation's ``Perspective`` on a
question, or the collaboration's agreed answer (``Consensus``). Its ``version`` counts the
saves; a save names the version it started from and only applies while that is still the
row's version (an optimistic lock, ``services.py``), so a stale save becomes a conflict and
nothing is lost. Every save also writes a revision row (``PerspectiveRevision``,
``ConsensusRevision``) in the same transaction: the question's history is read from those.

Answers refer to questions by their stable key from the toolkit (``toolkit.py``), never by a
database id, so rewording a question never orphans its answers.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner, Stage

TEXT_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2_000


class Perspective(models.Model):
    """One partner organisation's current answer to one question."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="perspectives"
    )
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="perspectives")
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(  # who saved the current version
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)  # the first save
    updated_at = models.DateTimeField(default=timezone.now)  # the current version's save

    class Meta:
        ordering = ["question_key", "partner_id"]
        indexes = [
            # The dashboard's activity feed: the most recently changed answers first.
            models.Index(fields=["collaboration", "updated_at"], name="perspective_recent"),
            # Live pages: the sum of a question's versions but the viewer's own, read from
            # the index alone (worksheets/live.py).
            models.Index(
                fields=["collaboration", "question_key", "partner", "version"],
                name="perspective_live",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner"],
                name="perspective_one_per_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version}"


class PerspectiveRevision(models.Model):
    """One saved version of a perspective, for the question's history and the export."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "partner_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner", "version"],
                name="perspective_revision_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version}"


class Consensus(models.Model):
    """The current agreed answer to one question (written by facilitators)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSED = "discussed", _("Discussed")
        AGREED = "agreed", _("Agreed")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="agreed_answers"
    )
    question_key = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The proposal whose passing made this answer agreed (None: set by hand, or never).
    agreed_by = models.ForeignKey(
        "Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The text was edited after its proposal passed: the agreement no longer covers it
    # until a new round passes.
    changed_since_agreed = models.BooleanField(default=False)

    class Meta:
        ordering = ["question_key"]
        verbose_name_plural = "agreed answers"
        indexes = [models.Index(fields=["collaboration", "updated_at"], name="consensus_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key"], name="consensus_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · v{self.version} ({self.status})"


class ConsensusRevision(models.Model):
    """One saved version of an agreed answer."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    question_key = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        max_length=20, choices=Consensus.Status.choices, default=Consensus.Status.OPEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "version"],
                name="consensus_revision_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · v{self.version} ({self.status})"


class Comment(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="worksheet_comments"
    )
    question_key = models.CharField(max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["collaboration", "question_key"])]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.text[:40]}"


class StageMove(models.Model):
    """A facilitator moved the collaboration's current stage (forward or back)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="stage_moves"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


INPUT_REQUEST_MESSAGE_MAX_LENGTH = 1_000


class InputRequest(models.Model):
    """A facilitator asks organisations for their perspectives on one tool by a date.

    An organisation has answered once it has a perspective on every question of the tool
    (worked out from the current answers, ``selectors.input_request_statuses``); nothing
    about answering is stored here. The sweep reminds those that have not and, after the
    date, closes the request (``closed_at``) and tells the facilitators who answered.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="input_requests"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    tool_slug = models.CharField(max_length=120)
    partners = models.ManyToManyField(Partner, related_name="input_requests")
    message = models.TextField(_("message"), max_length=INPUT_REQUEST_MESSAGE_MAX_LENGTH)
    due = models.DateField(_("answers wanted by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["closed_at", "due"], name="input_request_open_due")]

    def __str__(self) -> str:
        return f"{self.stage}/{self.tool_slug} by {self.due}"

    @property
    def tool(self):
        from .toolkit import get_stage

        return get_stage(self.stage).tool(self.tool_slug)

    @property
    def question_keys(self) -> list[str]:
        return [question.key for question in self.tool.questions]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DecisionRule(models.Model):
    """How the collaboration decides whether a proposal passes.

    It is set on Design's governance tool page (``design.sections.DECISION_RULE``), but it
    lives here, in the worksheets engine, because the proposals on agreed answers
    (``Proposal``, below) are the core's and read it, and the core never imports a stage.
    A collaboration without a row decides by the defaults (``DecisionRule.of``).
    """

    class Rule(models.TextChoices):
        CONSENT = "consent", _("Consent: passes when no organisation objects")
        CONSENSUS = (
            "consensus",
            _(
                "Consensus: every organisation that responds agrees (with or without "
                "reservations), none objects"
            ),
        )
        MAJORITY = (
            "majority",
            _("Majority: more organisations agree than object (stand-asides are not counted)"),
        )

    DEFAULT_RULE = Rule.CONSENT
    DEFAULT_QUORUM = 50
    DEFAULT_PERIOD_DAYS = 7

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="decision_rule"
    )
    rule = models.CharField(
        _("decision rule"), max_length=20, choices=Rule.choices, default=DEFAULT_RULE
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of member organisations)"),
        default=DEFAULT_QUORUM,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of member organisations that must respond for a decision."),
    )
    period_days = models.PositiveSmallIntegerField(
        _("consultation period (days)"),
        default=DEFAULT_PERIOD_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How long a proposal stays open unless the facilitator chooses a date."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.quorum_percent}% · {self.period_days} days"

    @property
    def is_default(self) -> bool:
        """Not set yet: the defaults apply."""
        return self.pk is None

    @classmethod
    def of(cls, collaboration: Collaboration) -> "DecisionRule":
        """The collaboration's rule, or an unsaved one with the defaults (one query)."""
        return cls.objects.filter(collaboration=collaboration).first() or cls(
            collaboration=collaboration
        )


class Position(models.TextChoices):
    AGREE = "agree", _("Agree")
    RESERVATIONS = "reservations", _("Agree with reservations")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    OBJECT = "object", _("Object")


REASON_REQUIRED = frozenset({Position.RESERVATIONS, Position.OBJECT})
REASON_MAX_LENGTH = 2_000


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    NO_QUORUM = "no_quorum", _("No quorum")


class Proposal(models.Model):
    """One round of asking the partner organisations to agree an answer's text.

    The text is frozen when the round opens, and so is the rule it is decided by (a rule
    changed later never changes a past outcome). A question has at most one open round;
    closed rounds and their responses stay as its consent record.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="proposals"
    )
    question_key = models.CharField(max_length=120)
    round = models.PositiveIntegerField()
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    rule = models.CharField(max_length=20, choices=DecisionRule.Rule.choices)
    quorum_percent = models.PositiveSmallIntegerField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(  # None when it closed at its date
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_statement = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    # How many organisations could respond when it closed: the quorum's base.
    organisations = models.PositiveIntegerField(default=0)
    # The presenter view shows the tally without organisations' names until a facilitator
    # reveals them (and may hide them again).
    names_revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question_key", "round"]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="proposal_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "round"], name="proposal_one_per_round"
            ),
            models.UniqueConstraint(
                fields=["collaboration", "question_key"],
                condition=models.Q(closed_at__isnull=True),
                name="proposal_one_open_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · round {self.round}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProposalResponse(models.Model):
    """One partner organisation's position on a proposal (any of its members gives it and
    may change it until the proposal closes)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices)
    reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Raised by one at every change: live pages sum it (``live.py``), as they sum answers'.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["proposal_id", "partner__name", "partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "partner"], name="proposal_response_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.partner_id}: {self.position}"
