"""Input checks every form shares, whatever its fields: bad input never gives a 500.

Django's form fields already refuse NUL characters in text and numbers out of a model
field's range. Two gaps remain, both closed here once for every form built on
``HardenedFormMixin`` (the scoped model forms of all stage apps use it):

- **ids too large for the database.** A multiple-choice field looks the submitted ids up
  with ``pk IN (…)``; an id beyond 64 bits overflows the database driver (SQLite:
  ``OverflowError``; PostgreSQL: out of range). Such ids are refused as invalid choices.
- **dates out of a sensible range.** ``9999-12-31`` is a valid ``date`` but one day later
  is not, and the timeline and charts compute with dates; ``0001-01-01`` makes a timeline
  of 24,000 years. Dates are limited to ``EARLIEST``…``LATEST``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
ID_DIGITS = 18  # every id with at most 18 digits fits a signed 64-bit integer


def date_in_range(value: datetime.date) -> None:
    if value is not None and not (EARLIEST <= value <= LATEST):
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s.")
            % {"earliest": date_format(EARLIEST), "latest": date_format(LATEST)},
            code="date_out_of_range",
        )


def _refuse_oversized_ids(field: forms.ModelMultipleChoiceField):
    clean = field.clean

    def checked(value):
        for item in value if isinstance(value, list | tuple) else [value]:
            digits = str(item).strip().lstrip("+-")
            if digits.isdigit() and len(digits) > ID_DIGITS:
                raise ValidationError(
                    field.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:40]},
                )
        return clean(value)

    return checked


def harden(form: forms.BaseForm) -> None:
    for form_field in form.fields.values():
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            form_field.clean = _refuse_oversized_ids(form_field)
        if isinstance(form_field, forms.DateField):
            form_field.validators.append(date_in_range)


class HardenedFormMixin:
    """Mix into a form (before ``forms.Form``/``forms.ModelForm``) to apply ``harden``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
