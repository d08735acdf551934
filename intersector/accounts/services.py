"""Accounts: the stand-ins a person's JSON import makes, and how a person takes one over."""

from uuid import uuid4

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

STAND_IN_DOMAIN = "stand-in.invalid"  # RFC 2606: no mail can ever reach it


def stand_in_build(*, imported_as: str, full_name: str):
    """An unsaved stand-in for the person a file names as ``imported_as``: inactive, no
    usable password, an address of its own that reaches nobody."""
    User = get_user_model()
    stand_in = User(
        email=f"{uuid4().hex}@{STAND_IN_DOMAIN}",
        imported_as=imported_as,
        full_name=full_name[: User._meta.get_field("full_name").max_length],
        is_active=False,
    )
    stand_in.set_unusable_password()
    return stand_in


def _references_to_users():
    """(model, field name) of every foreign key and one-to-one field pointing at User,
    including the hidden ones (``related_name="+"``) and many-to-many through tables."""
    User = get_user_model()
    for relation in User._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and not relation.many_to_many:
            yield relation.related_model, relation.field.name


@transaction.atomic
def user_take_over(*, stand_in, user) -> None:
    """Point every row that refers to ``stand_in`` at ``user`` instead, then delete the
    stand-in. A row that cannot move (``user`` already has its unique counterpart) is left
    to the stand-in's deletion (its field's ``on_delete``)."""
    for model, name in _references_to_users():
        rows = model._base_manager.filter(**{name: stand_in})
        try:
            with transaction.atomic():
                rows.update(**{name: user})
        except IntegrityError:
            for pk in rows.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{name: user})
                except IntegrityError:
                    pass
    stand_in.delete()
