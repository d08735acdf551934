"""Signed, expiring invitation links.

The token is the invitation's random key signed with a timestamp: it cannot be forged,
and it is refused once older than ``settings.INVITATION_MAX_AGE_DAYS``.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

_SALT = "intersector.invitations.accept"


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


def make_token(key: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(key)


def key_from_token(token: str) -> str:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        return signer.unsign(token, max_age=timedelta(days=settings.INVITATION_MAX_AGE_DAYS))
    except signing.SignatureExpired as exc:
        raise ExpiredToken from exc
    except signing.BadSignature as exc:
        raise InvalidToken from exc
