"""What happened (``Event``), who heard of it (``Notification``), how each person wants to
hear (``Preference``, ``NotificationSettings``) and each e-mail sent (``EmailDelivery``)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration


class Channel(models.TextChoices):
    APP = "app", _("In the app only")
    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("In my digest")


class Event(models.Model):
    """One thing that happened in a collaboration, with the deep link to it.

    Its recipients are computed once, by the ``fan_out`` task, from the kind's audience
    (``kinds.py``). ``key`` makes an event that the sweep finds (a task due in 3 days)
    happen once however often the sweep runs.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="notification_events"
    )
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    payload = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"


class Notification(models.Model):
    """One person's copy of an event: what the bell counts and the notifications page lists."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Copied from the event: the page and the bell filter and sort on them.
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.event}"


class Preference(models.Model):
    """How one person hears of one kind of event; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.channel}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NotificationSettings(models.Model):
    """A person's digest schedule and their secret calendar address."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        NEVER = "never", _("Never: no digest e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest_frequency = models.CharField(
        _("digest"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest on"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    time_zone = models.CharField(_("time zone"), max_length=60, default="UTC")
    last_digest_at = models.DateTimeField(null=True, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)

    def __str__(self) -> str:
        return f"{self.user} · {self.digest_frequency}"


class EmailDelivery(models.Model):
    """One e-mail to one person. ``key`` is its idempotency key: the same notice or digest
    is never queued twice, and the send task sends a row at most once (``sent_at``). The
    key's prefix names the builder of its message (``services.register_message_builder``);
    ``recipient`` is empty for mail to an address without an account (an invitation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Not sent (no longer a member, or unsubscribed)")

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_deliveries",
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # What a digest says, gathered by the sweep; the send task renders it.
    content = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker took it to send (status "sending"): no transaction stays open while
    # the mail server is talked to, and a worker that died there is known by this.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "e-mail deliveries"

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient} ({self.status})"
