from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .audit import Action, audit_record
from .models import Collaboration, Membership, Partner, Role
from .registry import MEMBERSHIP_CHANGED, MEMBERSHIP_REMOVED, membership_changed

User = get_user_model()


def unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "collaboration"
    slug, n = base, 2
    while Collaboration.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def collaboration_create(*, user, title: str, problem_statement: str, origin: str, context: str):
    """Create a collaboration; its creator becomes its first facilitator."""
    collaboration = Collaboration.objects.create(
        title=title,
        slug=unique_slug(title),
        problem_statement=problem_statement,
        origin=origin,
        context=context,
    )
    Membership.objects.create(user=user, collaboration=collaboration, role=Role.FACILITATOR)
    return collaboration


def _describe(role: str, partner: Partner | None) -> str:
    label = str(Role(role).label)
    return f"{label} · {partner.name}" if partner else label


def _is_last_facilitator(membership: Membership) -> bool:
    """Read from the database: a bound form may already have changed the instance's role."""
    facilitators = Membership.objects.select_for_update().filter(
        collaboration_id=membership.collaboration_id, role=Role.FACILITATOR
    )
    return list(facilitators.values_list("pk", flat=True)) == [membership.pk]


@transaction.atomic
def membership_change(
    *, membership: Membership, role: str, partner: Partner | None, by=None
) -> Membership:
    if role != Role.FACILITATOR and _is_last_facilitator(membership):
        raise ValidationError(
            {"role": _("A collaboration needs at least one facilitator. Appoint another first.")}
        )
    before = Membership.objects.select_related("partner").get(pk=membership.pk)
    membership.role = role
    membership.partner = partner
    membership.save(update_fields=["role", "partner"])
    if (before.role, before.partner_id) != (role, partner.pk if partner else None):
        audit_record(
            collaboration=membership.collaboration,
            action=Action.ROLE_CHANGED,
            actor=by,
            subject_email=membership.user.email,
            detail=f"{_describe(before.role, before.partner)} → {_describe(role, partner)}",
        )
        membership_changed(change=MEMBERSHIP_CHANGED, membership=membership, by=by, before=before)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by=None) -> None:
    if _is_last_facilitator(membership):
        raise ValidationError(
            _("A collaboration needs at least one facilitator. Appoint another first.")
        )
    audit_record(
        collaboration=membership.collaboration,
        action=Action.MEMBER_REMOVED,
        actor=by,
        subject_email=membership.user.email,
        detail=_describe(membership.role, membership.partner),
    )
    membership_changed(change=MEMBERSHIP_REMOVED, membership=membership, by=by)
    membership.delete()


def delete_or_explain(obj, *, name: str | None = None) -> None:
    """Delete ``obj``; while other rows still refer to it, delete nothing and raise a
    ValidationError that names what refers to it.

    References inside a collaboration are ``RESTRICT``: they refuse the deletion of what
    they point to, but let a whole collaboration be deleted with everything in it.
    """
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
        kinds = sorted({str(o._meta.verbose_name_plural) for o in blockers})
        raise ValidationError(
            _("“%(name)s” cannot be deleted while these still refer to it: %(kinds)s.")
            % {"name": name or obj, "kinds": ", ".join(kinds)}
        ) from exc


def partner_delete(*, partner: Partner) -> None:
    """Delete a partner organisation, or explain what still refers to it."""
    delete_or_explain(partner)


def overview_visit(*, membership: Membership):
    """Remember that the person opened the overview now; return their previous visit
    (None the first time), from which the overview marks what is new."""
    from django.utils import timezone

    previous = membership.overview_seen_at
    Membership.objects.filter(pk=membership.pk).update(overview_seen_at=timezone.now())
    return previous
