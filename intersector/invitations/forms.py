from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.forms import MembershipRoleForm

from .models import Invitation


class InvitationForm(MembershipRoleForm):
    """E-mail, role and (for partners) the organisation; partners limited to this collaboration."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We e-mail a link that works once, for 14 days."),
        max_length=254,
    )

    class Meta(MembershipRoleForm.Meta):
        model = Invitation
        fields = ["email", "role", "partner"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AccountFromInvitationForm(forms.Form):
    """A new account for the invited e-mail address: name and password (Django's validators)."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As your partners will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters; not a common password, not only digits, not like your "
            "name or e-mail address."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
