"""Who may change what in Diagnose. Facilitators edit everything; partners edit what their
organisation owns; observers read."""

from intersector.collaborations.access import Access

from .models import Apprehension


def can_edit_map(access: Access) -> bool:
    """Scores on the stakeholder map are the group's judgement, recorded by a facilitator."""
    return access.is_facilitator


def can_edit_sector(access: Access, sector: str) -> bool:
    if access.is_facilitator:
        return True
    partner = access.partner
    return access.can_contribute and partner is not None and partner.sector == sector


def can_add_apprehension(access: Access) -> bool:
    return access.is_facilitator or (access.can_contribute and access.partner is not None)


def can_edit_apprehension(access: Access, apprehension: Apprehension) -> bool:
    if access.is_facilitator:
        return True
    return (
        access.can_contribute
        and access.partner is not None
        and apprehension.raised_by_id == access.partner.pk
    )


def can_record_decision(access: Access) -> bool:
    return access.is_facilitator
