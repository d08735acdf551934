"""Signed values for links that work without signing in: unsubscribing from e-mail."""

from django.core import signing

UNSUBSCRIBE_SALT = "intersector.notifications.unsubscribe"
DIGEST = "digest"  # the "kind" of the digest e-mail itself


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None for a token that is unknown or was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["user"]), str(data["kind"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
