import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, NotificationSettings


class DigestForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("My time zone"),
        help_text=_("Digests arrive at about 07:00 in this time zone."),
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
    )

    class Meta:
        model = NotificationSettings
        fields = ["digest_frequency", "digest_weekday", "time_zone"]
        widgets = {"digest_frequency": forms.RadioSelect}


def channel_field(kind, initial: str) -> forms.ChoiceField:
    choices = Channel.choices
    if not kind.requires_membership:
        # Digests speak only of the collaborations one is in (a removal is not in them).
        choices = [(value, label) for value, label in choices if value != Channel.DIGEST]
    return forms.ChoiceField(
        label=kind.label, choices=choices, initial=initial, widget=forms.RadioSelect
    )


class PreferencesForm(forms.Form):
    """One choice of channel per kind of event."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, channel in rows:
            self.fields[kind.key] = channel_field(kind, channel)
