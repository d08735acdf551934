"""The kinds of notification the worksheets raise, and the worker's side of raising them.

A comment or a perspective with an ``@`` costs its request one queued task and nothing
else (``services.comment_add``, ``services.perspective_save``). That task, here, works out
who hears of it, with the queries it needs, and raises the events: a comment reaches the
organisations that wrote a perspective on the question; a mention, the person or the
organisation's members, by e-mail at once; in a perspective, only the people its previous
version did not mention already (re-saving the same mention tells nobody again). Someone
both mentioned and answering hears of it once, as a mention.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.collaborations.models import Membership, Role
from intersector.notifications.kinds import Audience, Kind, register_kind
from intersector.notifications.models import Channel
from intersector.notifications.services import notify

from .mentions import Mentioned, find_mentions, mentionable
from .models import Comment, Perspective, PerspectiveRevision
from .selectors import question_url
from .toolkit import questions_by_key

STAGE_MOVED = register_kind(
    Kind(
        "stage_moved",
        gettext_lazy("The collaboration moves to a new stage"),
        default=Channel.DIGEST,
    )
).key
INPUT_REQUEST = register_kind(
    Kind(
        "input_request",
        gettext_lazy("A facilitator asks my organisation for its perspectives (and reminders)"),
        default=Channel.EMAIL,
    )
).key
INPUT_REQUEST_CLOSED = register_kind(
    Kind(
        "input_request_closed",
        gettext_lazy("An input request closes: who answered (facilitators)"),
        default=Channel.EMAIL,
    )
).key
COMMENT = register_kind(
    Kind(
        "comment",
        gettext_lazy("Comments on questions my organisation answered"),
        default=Channel.DIGEST,
    )
).key
MENTION = register_kind(
    Kind(
        "mention",
        gettext_lazy("Someone mentions me or my organisation"),
        default=Channel.EMAIL,
    )
).key


def comment_anchor(comment_id: int) -> str:
    return f"comment-{comment_id}"


def question_text(question_key: str, limit: int = 120) -> str:
    text = questions_by_key()[question_key][2].text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mention_audience(mentioned: Mentioned) -> Audience:
    return Audience.of(users=mentioned.users, partners=mentioned.partners)


def comment_notify(*, comment_id: int) -> None:
    """Raise the events of one comment (at most once each, however often it runs)."""
    comment = (
        Comment.objects.filter(pk=comment_id).select_related("author", "collaboration").first()
    )
    if comment is None or comment.question_key not in questions_by_key():
        return
    collaboration = comment.collaboration
    mentioned = Mentioned()
    if "@" in comment.text:
        mentioned = find_mentions(comment.text, mentionable(collaboration.pk))
    answered = Perspective.objects.filter(
        collaboration_id=collaboration.pk, question_key=comment.question_key
    ).exclude(text="")
    readers = (
        Membership.objects.filter(
            collaboration_id=collaboration.pk, partner_id__in=answered.values("partner_id")
        )
        .exclude(role=Role.OBSERVER)
        .exclude(user_id__in=mentioned.users)
        .exclude(partner_id__in=mentioned.partners)
        .values_list("user_id", flat=True)
    )
    who = comment.author.display_name if comment.author else _("A former member")
    question = question_text(comment.question_key)
    common = {
        "collaboration": collaboration,
        "actor": comment.author,
        "url": question_url(collaboration, comment.question_key, anchor=comment_anchor(comment.pk)),
        "excerpt": comment.text,
        "payload": {"comment_id": comment.pk, "question_key": comment.question_key},
    }
    notify(
        kind=COMMENT,
        summary=_("%(who)s commented on “%(question)s”") % {"who": who, "question": question},
        audience=Audience.of(users=list(readers)),
        key=f"comment:{comment.pk}",
        **common,
    )
    if mentioned:
        notify(
            kind=MENTION,
            summary=_("%(who)s mentioned you or your organisation in a comment on “%(question)s”")
            % {"who": who, "question": question},
            audience=mention_audience(mentioned),
            key=f"mention:comment:{comment.pk}",
            **common,
        )


def perspective_mentions_notify(
    *, collaboration_id: int, question_key: str, partner_id: int, version: int
) -> None:
    """Raise a mention event for the people version ``version`` of a perspective names and
    the version before did not; none when there are none."""
    revisions = {
        revision.version: revision
        for revision in PerspectiveRevision.objects.filter(
            collaboration_id=collaboration_id,
            question_key=question_key,
            partner_id=partner_id,
            version__in=[version, version - 1],
        ).select_related("author", "partner", "collaboration")
    }
    saved = revisions.get(version)
    if saved is None or "@" not in saved.text or question_key not in questions_by_key():
        return
    names = mentionable(collaboration_id)
    previous = revisions.get(version - 1)
    mentioned = find_mentions(saved.text, names) - find_mentions(
        previous.text if previous else "", names
    )
    if not mentioned:
        return
    who = saved.author.display_name if saved.author else _("A former member")
    notify(
        kind=MENTION,
        collaboration=saved.collaboration,
        actor=saved.author,
        summary=_(
            "%(who)s mentioned you or your organisation in %(org)s's perspective on “%(question)s”"
        )
        % {"who": who, "org": saved.partner.name, "question": question_text(question_key)},
        url=question_url(saved.collaboration, question_key),
        excerpt=saved.text,
        audience=mention_audience(mentioned),
        payload={"question_key": question_key, "partner_id": partner_id, "version": version},
        key=f"mention:perspective:{collaboration_id}:{partner_id}:{question_key}:{version}"[:200],
    )


PROPOSAL_OPENED = register_kind(
    Kind(
        "proposal_opened",
        gettext_lazy("Partners are asked to agree an answer"),
        default=Channel.EMAIL,
    )
).key
PROPOSAL_REMINDER = register_kind(
    Kind(
        "proposal_reminder",
        gettext_lazy("A proposal my organisation has not responded to closes within a day"),
        default=Channel.EMAIL,
    )
).key
PROPOSAL_OUTCOME = register_kind(
    Kind("proposal_outcome", gettext_lazy("The outcome of a proposal"), default=Channel.DIGEST)
).key
