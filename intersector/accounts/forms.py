from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, except that accounts without a usable password get the link too.

    Django leaves them out for sites whose passwords live elsewhere (LDAP); ours live here,
    and an account without one was made by a JSON import for someone who never signed up:
    "forgot password" is how they set their first. Inactive accounts (the stand-ins a
    person's import makes for authors) never get one.
    """

    def get_users(self, email):
        User = get_user_model()
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email.casefold() == email.casefold()
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's, and a new password lifts the sign-in lockout on the account (the locked-out
    page offers password reset as the way back in now)."""

    def save(self, commit=True):
        from axes.utils import reset as axes_reset

        user = super().save(commit=commit)
        axes_reset(username=user.email.lower())
        return user
