"""Who may change what in Design. Facilitators edit everything; a partner edits the
indicators its organisation owns, the activities it leads and the tasks it is responsible
for, and adds new ones for itself; observers read."""

from intersector.collaborations.access import Access


def _speaks_for(access: Access, partner_id: int | None) -> bool:
    partner = access.partner
    return access.can_contribute and partner is not None and partner.pk == partner_id


def can_manage(access: Access) -> bool:
    """Vision, goals and governance are the group's agreements, recorded by a facilitator."""
    return access.is_facilitator


def can_add_owned(access: Access) -> bool:
    return access.is_facilitator or (access.can_contribute and access.partner is not None)


def can_edit_indicator(access: Access, indicator) -> bool:
    return access.is_facilitator or _speaks_for(access, indicator.owner_id)


def can_edit_activity(access: Access, activity) -> bool:
    return access.is_facilitator or _speaks_for(access, activity.lead_id)


def can_edit_task(access: Access, task) -> bool:
    return access.is_facilitator or _speaks_for(access, task.responsible_id)
