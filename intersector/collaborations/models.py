from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The toolkit's four stages, in order. Each one is served by the Django app of that name."""

    DIAGNOSE = "diagnose", _("Diagnose")
    DESIGN = "design", _("Design")
    IMPLEMENT = "implement", _("Implement")
    ASSESS = "assess", _("Assess")

    @classmethod
    def ordered(cls) -> list["Stage"]:
        return list(cls)

    @property
    def index(self) -> int:
        return list(Stage).index(self)


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    NONPROFIT = "nonprofit", _("Non-profit")
    ACADEMIC = "academic", _("Academic")
    PHILANTHROPIC = "philanthropic", _("Philanthropic")
    COMMUNITY = "community", _("Community")


class Collaboration(models.Model):
    class Origin(models.TextChoices):
        VOLUNTARY = "voluntary", _("Voluntary")
        MANDATED = "mandated", _("Mandated")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    problem_statement = models.TextField(
        _("the problem"),
        max_length=5000,
        help_text=_("What problem are the partners coming together to solve?"),
    )
    origin = models.CharField(
        _("mandated or voluntary"),
        max_length=20,
        choices=Origin.choices,
        default=Origin.VOLUNTARY,
        help_text=_("Is the collaboration required by a mandate, or chosen by the partners?"),
    )
    context = models.TextField(
        _("community and policy context"),
        max_length=5000,
        blank=True,
        help_text=_("Public and corporate policies, history and conditions that shape the work."),
    )
    current_stage = models.CharField(
        _("current stage"), max_length=20, choices=Stage.choices, default=Stage.DIAGNOSE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("worksheets:overview", kwargs={"slug": self.slug})

    @property
    def stage(self) -> Stage:
        return Stage(self.current_stage)


class Partner(models.Model):
    """An organisation taking part (or asked to take part) in one collaboration."""

    class Engagement(models.TextChoices):
        PROSPECTIVE = "prospective", _("Prospective")
        ENGAGED = "engaged", _("Engaged")
        COMMITTED = "committed", _("Committed")
        DECLINED = "declined", _("Declined")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("organisation name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    influence = models.PositiveSmallIntegerField(
        _("influence on the issue"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        default=3,
        help_text=_("1 = little influence, 5 = decisive influence."),
    )
    proximity = models.PositiveSmallIntegerField(
        _("proximity to key stakeholders"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        default=3,
        help_text=_("1 = distant, 5 = close to key stakeholders and institutions."),
    )
    engagement = models.CharField(
        _("engagement status"),
        max_length=20,
        choices=Engagement.choices,
        default=Engagement.PROSPECTIVE,
    )
    expertise = models.TextField(_("expertise it brings"), max_length=2000, blank=True)
    resources = models.TextField(_("resources it brings"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "name"], name="partner_name_unique_in_collaboration"
            ),
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5),
                name="partner_influence_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(proximity__gte=1, proximity__lte=5),
                name="partner_proximity_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One change to a collaboration's membership: who did what to whom, and when."""

    class Action(models.TextChoices):
        MEMBER_ADDED = "member_added", _("added a member")
        ROLE_CHANGED = "role_changed", _("changed a role")
        MEMBER_REMOVED = "member_removed", _("removed a member")
        INVITED = "invited", _("invited")
        INVITATION_RESENT = "invitation_resent", _("resent an invitation")
        INVITATION_REVOKED = "invitation_revoked", _("revoked an invitation")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="audit_events"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Names are copied, so the log still reads right after people or accounts are deleted.
    actor_name = models.CharField(max_length=255)
    subject_email = models.EmailField(_("on whom"))
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "invitations_auditevent"  # where it was made, before it moved here
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.subject_email}"


class Authored(models.Model):
    """Who wrote a stage record and for which organisation: partners may edit what they
    wrote (``worksheets.inline.author_or_responsible``)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_for = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author's organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def responsible_partner_ids(self) -> set[int]:
        """Organisations whose partners may edit this record (besides its author)."""
        return {self.created_for_id} - {None}


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PARTNER = "partner", _("Partner")
    OBSERVER = "observer", _("Observer")


class Membership(models.Model):
    """A person's role in one collaboration. Every permission check goes through it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("speaks for"),
        help_text=_("The partner organisation this person speaks for."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person last opened the collaboration's overview: it marks what is new since.
    overview_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collaboration"], name="one_membership_per_user_and_collaboration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.collaboration}"

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def can_contribute(self) -> bool:
        """Facilitators and partners write; observers only read."""
        return self.role in (Role.FACILITATOR, Role.PARTNER)
