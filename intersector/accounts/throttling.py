"""How django-axes names the person trying to sign in."""

from django.http import HttpRequest

# AccessAttempt.username is a varchar(255); PostgreSQL also refuses NUL characters.
_MAX_LENGTH = 255


def username_from_request(request: HttpRequest, credentials: dict | None = None) -> str:
    """The e-mail address as the sign-in form cleans it (lower case), safe to store."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") or source.get("email") or ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\x00", "").strip().lower()[:_MAX_LENGTH]
