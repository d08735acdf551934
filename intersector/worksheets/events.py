"""The kinds of notification the worksheets raise.

Who hears of a comment or a mention is worked out in the fan-out task (the ``audience``
functions below), from what the event recorded: the request only writes the event.
"""

from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Membership, Role
from intersector.notifications.kinds import Audience, Kind, register_kind
from intersector.notifications.models import Channel, Event

from .mentions import Mentioned, find_mentions, mentionable
from .models import Perspective, PerspectiveRevision


def mentioned_in(event: Event) -> Mentioned:
    """Who the comment or perspective saved in ``event`` newly mentions: everyone named in
    a comment; in a perspective, only those its previous version did not name already."""
    payload = event.payload
    if payload.get("source") == "perspective":
        texts = dict(
            PerspectiveRevision.objects.filter(
                collaboration_id=event.collaboration_id,
                question_key=payload["question_key"],
                partner_id=payload["partner_id"],
                version__in=[payload["version"], payload["version"] - 1],
            ).values_list("version", "text")
        )
        new_text = texts.get(payload["version"], event.excerpt)
        old_text = texts.get(payload["version"] - 1, "")
        if "@" not in new_text:
            return Mentioned()
        names = mentionable(event.collaboration_id)
        return find_mentions(new_text, names) - find_mentions(old_text, names)
    if "@" not in event.excerpt:
        return Mentioned()
    return find_mentions(event.excerpt, mentionable(event.collaboration_id))


def mention_audience(event: Event) -> Audience:
    mentioned = mentioned_in(event)
    return Audience.of(users=mentioned.users, partners=mentioned.partners)


def comment_audience(event: Event) -> Audience:
    """The members speaking for an organisation that wrote a perspective on the question,
    but not those the comment mentions: they hear of it as a mention instead."""
    answered = Perspective.objects.filter(
        collaboration_id=event.collaboration_id, question_key=event.payload["question_key"]
    ).exclude(text="")
    mentioned = mentioned_in(event)
    members = (
        Membership.objects.filter(
            collaboration_id=event.collaboration_id,
            partner_id__in=answered.values("partner_id"),
        )
        .exclude(role=Role.OBSERVER)
        .exclude(user_id__in=mentioned.users)
        .exclude(partner_id__in=mentioned.partners)
    )
    return Audience.of(users=members.values_list("user_id", flat=True))


STAGE_MOVED = register_kind(
    Kind("stage_moved", _("The collaboration moves to a new stage"), default=Channel.DIGEST)
).key
COMMENT = register_kind(
    Kind(
        "comment",
        _("Comments on questions my organisation answered"),
        default=Channel.DIGEST,
        audience=comment_audience,
    )
).key
MENTION = register_kind(
    Kind(
        "mention",
        _("Someone mentions me or my organisation"),
        default=Channel.EMAIL,
        audience=mention_audience,
    )
).key
