"""Raising events, fanning them out to people, and the e-mails that follow.

``notify`` is called by the service that did the thing, inside its transaction; it writes
one ``Event`` and queues ``fan_out`` for when that transaction commits. Everything per
recipient happens in the worker.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from intersector.background.tasks import enqueue_on_commit
from intersector.collaborations.models import Collaboration, Membership, Role

from .emails import templated_email
from .kinds import Audience, get_kind
from .models import Channel, EmailDelivery, Event, Notification, Preference

log = logging.getLogger(__name__)


def notify(
    *,
    kind: str,
    collaboration: Collaboration,
    actor=None,
    summary: str,
    url: str,
    audience: Audience | None = None,
    excerpt: str = "",
    payload: dict | None = None,
    key: str | None = None,
) -> Event | None:
    """Record that something happened; its recipients are worked out in the worker.

    ``key`` makes the event happen at most once (the sweep's reminders): a second call
    with the same key returns None and queues nothing.
    """
    get_kind(kind)  # an unknown kind is a programming error, raised here and not in the worker
    data = dict(payload or {})
    if audience is not None:
        data["audience"] = audience.as_payload()
    try:
        with transaction.atomic():
            event = Event.objects.create(
                collaboration=collaboration,
                kind=kind,
                actor=actor,
                summary=summary[:300],
                excerpt=excerpt,
                url=url,
                payload=data,
                key=key,
            )
    except IntegrityError:
        if key is not None and Event.objects.filter(key=key).exists():
            return None
        raise
    from .tasks import fan_out  # (tasks.py imports this module)

    enqueue_on_commit(fan_out, event.pk)
    return event


def recipients_of(event: Event) -> set[int]:
    """The people an event reaches: its kind's audience, current members only (unless the
    kind is about membership itself), never the person who did it."""
    kind = get_kind(event.kind)
    audience = kind.audience(event)
    if not kind.requires_membership:
        people = set(audience.users)
    else:
        members = Membership.objects.filter(collaboration_id=event.collaboration_id)
        if not audience.everyone:
            wanted = Q(user_id__in=audience.users)
            if audience.partners:
                wanted |= Q(partner_id__in=audience.partners) & ~Q(role=Role.OBSERVER)
            if audience.facilitators:
                wanted |= Q(role=Role.FACILITATOR)
            members = members.filter(wanted)
        people = set(members.values_list("user_id", flat=True))
    people.discard(event.actor_id)
    return people


def channels_for(*, kind: str, user_ids: set[int]) -> dict[int, str]:
    default = get_kind(kind).default
    chosen = dict(
        Preference.objects.filter(kind=kind, user_id__in=user_ids).values_list("user_id", "channel")
    )
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def event_fan_out(*, event_id: int) -> int:
    """Give each recipient their notification and queue the e-mails due at once.

    Safe to run again after a crash: one notification per (event, person) and one
    delivery per notification are unique, and e-mails are sent only from pending rows.
    """
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    channels = channels_for(kind=event.kind, user_ids=recipients_of(event))
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    event=event,
                    recipient_id=user_id,
                    collaboration_id=event.collaboration_id,
                    created_at=event.created_at,
                    channel=channel,
                )
                for user_id, channel in channels.items()
            ],
            ignore_conflicts=True,
        )
        by_email = list(
            Notification.objects.filter(event=event, channel=Channel.EMAIL).values_list(
                "pk", "recipient_id"
            )
        )
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(key=f"notification:{pk}", recipient_id=user_id, notification_id=pk)
                for pk, user_id in by_email
            ],
            ignore_conflicts=True,
        )
        Event.objects.filter(pk=event.pk, fanned_out_at=None).update(fanned_out_at=timezone.now())
        email_deliveries_enqueue(
            EmailDelivery.objects.filter(
                notification__event=event, status=EmailDelivery.Status.PENDING
            ).values_list("pk", flat=True)
        )
    return len(channels)


SEND_BATCH_SIZE = 50


def email_deliveries_enqueue(delivery_ids) -> None:
    """Queue the sending of these deliveries when the transaction commits, a batch a task
    (a digest sweep for a thousand people queues twenty tasks, not a thousand)."""
    from .tasks import send_emails

    ids = sorted(delivery_ids)
    for start in range(0, len(ids), SEND_BATCH_SIZE):
        enqueue_on_commit(send_emails, ids[start : start + SEND_BATCH_SIZE])


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


def notification_email(delivery: EmailDelivery):
    """The message for a notice sent at once, or None when it must not go out (the person
    left the collaboration since)."""
    notification = delivery.notification
    event = notification.event
    kind = get_kind(event.kind)
    if (
        kind.requires_membership
        and not Membership.objects.filter(
            user_id=delivery.recipient_id, collaboration_id=event.collaboration_id
        ).exists()
    ):
        return None
    context = {
        "event": event,
        "collaboration": event.collaboration,
        "recipient": delivery.recipient,
        "link": absolute(event.url),
        "about_membership": not kind.requires_membership,
        **email_links(delivery.recipient, kind=event.kind),
    }
    return templated_email(
        name="notification",
        to=delivery.recipient.email,
        context=context,
        headers=list_headers(context),
    )


def email_links(user, *, kind: str) -> dict:
    """The preferences page and the one-click unsubscribe every e-mail carries."""
    from django.urls import reverse

    from .tokens import unsubscribe_token

    return {
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": absolute(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
        ),
    }


def list_headers(context: dict) -> dict:
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Builders of the message for each kind of delivery, by the prefix of its key.
MESSAGE_BUILDERS = {"notification": notification_email}


def register_message_builder(prefix: str, builder) -> None:
    """``builder(delivery)`` makes the message of every delivery whose key starts with
    ``prefix:`` when it is sent (so a retry sends what is true then), or returns None
    when it must not go out any more (the delivery is then dropped)."""
    if MESSAGE_BUILDERS.get(prefix, builder) is not builder:
        raise ValueError(f"Message builder {prefix!r} is already registered")
    MESSAGE_BUILDERS[prefix] = builder


def email_delivery_queue(*, key: str, recipient=None) -> EmailDelivery:
    """Queue one e-mail, sent by the worker once the transaction commits and retried while
    the mail server fails (``send_emails``). A key already queued is not queued again."""
    delivery, created = EmailDelivery.objects.get_or_create(
        key=key, defaults={"recipient": recipient}
    )
    if created:
        email_deliveries_enqueue([delivery.pk])
    return delivery


def email_delivery_send(*, delivery_id: int) -> str:
    """Send one delivery; a sent or dropped row is left alone, so running the task again
    sends nothing.

    The row is claimed ("sending") in a short transaction and the message sent after it
    commits: no transaction stays open while the mail server is talked to (SQLite would
    refuse the write that follows, and the retry would send the message again). A claim
    younger than TASKS_STALE_AFTER_SECONDS is another worker sending it now; an older one
    is a worker that died mid-send, and the message goes out again — with the same
    Message-ID, so a mail client shows one message even if the first had left. A failure
    is recorded on the row and raised, so the task is retried.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS)
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(of=("self",))
            .select_related("recipient", "notification__event__collaboration")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (
            EmailDelivery.Status.SENT,
            EmailDelivery.Status.DROPPED,
        ):
            return "skipped"
        if delivery.status == EmailDelivery.Status.SENDING and delivery.claimed_at > stale:
            return "skipped"
        message = MESSAGE_BUILDERS[delivery.key.split(":", 1)[0]](delivery)
        if message is None:
            delivery.status = EmailDelivery.Status.DROPPED
            delivery.save(update_fields=["status"])
            return "dropped"
        delivery.status = EmailDelivery.Status.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    message.extra_headers["Message-ID"] = f"<{delivery.key.replace(':', '.')}@intersector>"
    try:
        message.send()
    except Exception as exc:
        failed = str(exc)[:500] or type(exc).__name__
        EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.SENDING).update(
            status=EmailDelivery.Status.PENDING, last_error=failed
        )
        raise DeliveryFailed(failed) from exc
    EmailDelivery.objects.filter(pk=delivery_id).update(
        status=EmailDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the task tries again later."""


def email_deliveries_send(*, delivery_ids: list[int]) -> int:
    """Send each delivery of a batch (those already sent are skipped); when some failed,
    raise once all were tried, so the task retries the batch. A mail server that makes
    every message wait for its timeout ends the batch early: it is retried later, not left
    running past the time after which the sweep takes its worker for dead."""
    failures, sent = [], 0
    deadline = time.monotonic() + settings.TASKS_STALE_AFTER_SECONDS / 2
    for delivery_id in delivery_ids:
        if failures and time.monotonic() > deadline:
            failures.append("out of time: the rest of the batch waits for the retry")
            break
        try:
            sent += email_delivery_send(delivery_id=delivery_id) == "sent"
        except DeliveryFailed as exc:
            failures.append(f"{delivery_id}: {exc}")
    if failures:
        raise DeliveryFailed("; ".join(failures)[:1000])
    return sent


def email_deliveries_give_up(*, delivery_ids: list[int]) -> None:
    EmailDelivery.objects.filter(
        pk__in=delivery_ids,
        status__in=[EmailDelivery.Status.PENDING, EmailDelivery.Status.SENDING],
    ).update(status=EmailDelivery.Status.FAILED)


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, channels: dict[str, str]) -> None:
    for kind, channel in channels.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})


def email_unsubscribe(*, user_id: int, kind: str) -> bool:
    """No more e-mail of this kind (the digest: no more digests); False for an unknown
    kind or person. The notices stay in the app."""
    from django.contrib.auth import get_user_model

    from .models import NotificationSettings
    from .tokens import DIGEST

    if not get_user_model().objects.filter(pk=user_id).exists():
        return False
    if kind == DIGEST:
        NotificationSettings.objects.update_or_create(
            user_id=user_id,
            defaults={"digest_frequency": NotificationSettings.Frequency.NEVER},
        )
        return True
    try:
        get_kind(kind)
    except KeyError:
        return False
    Preference.objects.update_or_create(
        user_id=user_id, kind=kind, defaults={"channel": Channel.APP}
    )
    return True


def calendar_token_reset(*, user) -> str:
    """A new secret calendar address; the old one stops working at once."""
    from .models import NotificationSettings, new_token

    token = new_token()
    NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"calendar_token": token}
    )
    return token
