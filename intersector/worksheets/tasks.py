"""The worksheets' background work: who hears of a comment or a mention (``events.py``)."""

from intersector.background.tasks import background_task

from . import events


@background_task()
def comment_notify(comment_id: int) -> None:
    events.comment_notify(comment_id=comment_id)


@background_task()
def perspective_mentions_notify(
    collaboration_id: int, question_key: str, partner_id: int, version: int
) -> None:
    events.perspective_mentions_notify(
        collaboration_id=collaboration_id,
        question_key=question_key,
        partner_id=partner_id,
        version=version,
    )
