"""Design's writes that do more than save a form."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.collaborations.access import Access
from intersector.notifications.kinds import Audience
from intersector.notifications.services import notify

from .events import TASK_ASSIGNED
from .models import Task

RESPONSIBILITIES_TOOL = "identify-a-manager"


def task_url(task: Task) -> str:
    url = reverse("design:tool", args=[task.collaboration.slug, RESPONSIBILITIES_TOOL])
    return f"{url}#task-{task.pk}"


@transaction.atomic
def task_save(*, access: Access, form) -> Task:
    """Save a task; whoever it is newly given to (the assignee, the responsible
    organisation's members) hears of it. Editing anything else tells nobody."""
    adding = form.instance.pk is None
    before = (
        {} if adding else {name: form.initial.get(name) for name in ("assignee", "responsible")}
    )
    task = form.save(commit=False)
    task.save()
    form.save_m2m()
    new_assignee = task.assignee if task.assignee_id != before.get("assignee") else None
    new_partner = task.responsible if task.responsible_id != before.get("responsible") else None
    if new_assignee is None and new_partner is None:
        return task
    if new_assignee and new_partner:
        whom = f"{new_assignee.display_name} ({new_partner.name})"
    else:
        whom = new_assignee.display_name if new_assignee else new_partner.name
    user = access.membership.user
    notify(
        kind=TASK_ASSIGNED,
        collaboration=access.collaboration,
        actor=user,
        summary=_("%(who)s gave the task “%(title)s” to %(whom)s")
        % {"who": user.display_name, "title": task.title, "whom": whom},
        url=task_url(task),
        excerpt=_("Due %(due)s") % {"due": task.due.isoformat()} if task.due else "",
        audience=Audience.of(
            users=[new_assignee.pk] if new_assignee else [],
            partners=[new_partner.pk] if new_partner else [],
        ),
    )
    return task
