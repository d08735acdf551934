from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Collaboration, Membership, Partner, Role

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


def membership_add(
    *, collaboration: Collaboration, email: str, role: str, partner: Partner | None
) -> Membership:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account uses this e-mail address. Ask the person to sign up first.")}
        )
    if Membership.objects.filter(user=user, collaboration=collaboration).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    return Membership.objects.create(
        user=user, collaboration=collaboration, role=role, partner=partner
    )


def _is_last_facilitator(membership: Membership) -> bool:
    """Read from the database: a bound form may already have changed the instance's role."""
    facilitators = Membership.objects.select_for_update().filter(
        collaboration_id=membership.collaboration_id, role=Role.FACILITATOR
    )
    return list(facilitators.values_list("pk", flat=True)) == [membership.pk]


@transaction.atomic
def membership_change(*, membership: Membership, role: str, partner: Partner | None) -> Membership:
    if role != Role.FACILITATOR and _is_last_facilitator(membership):
        raise ValidationError(
            {"role": _("A collaboration needs at least one facilitator. Appoint another first.")}
        )
    membership.role = role
    membership.partner = partner
    membership.save(update_fields=["role", "partner"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if _is_last_facilitator(membership):
        raise ValidationError(
            _("A collaboration needs at least one facilitator. Appoint another first.")
        )
    membership.delete()


def partner_delete(*, partner: Partner) -> None:
    """Delete a partner organisation, or explain what still refers to it."""
    try:
        partner.delete()
    except ProtectedError as exc:
        kinds = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise ValidationError(
            _("%(name)s cannot be removed while these still refer to it: %(kinds)s.")
            % {"name": partner.name, "kinds": ", ".join(str(k) for k in kinds)}
        ) from exc
