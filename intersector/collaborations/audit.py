"""The membership audit log: one call per change, from the services that make the change."""

from .models import AuditEvent

Action = AuditEvent.Action


def audit_record(
    *, collaboration, action: str, actor, subject_email: str, detail: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        collaboration=collaboration,
        action=action,
        actor=actor,
        actor_name=(actor.display_name if actor is not None else "")[:255],
        subject_email=subject_email,
        detail=detail[:500],
    )
