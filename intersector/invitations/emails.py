"""E-mails as template triples: ``emails/<name>_subject.txt``, ``_body.txt``, ``_body.html``."""

from intersector.notifications.emails import templated_email


def send_templated_email(*, name: str, to: str, context: dict) -> None:
    templated_email(name=name, to=to, context=context).send()
