"""Writes on accounts: API tokens are created (the only moment their text is known) and revoked."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from events.services import event_record

DEFAULT_TOKEN_LIFETIME = timedelta(days=90)


def api_token_create(
    *, user: AbstractBaseUser, name: str, expires_in: timedelta | None = DEFAULT_TOKEN_LIFETIME
) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the token text, which is never shown again.
    `expires_in=None` makes a token that never expires."""
    with transaction.atomic():
        token, text = ApiToken.objects.create(user=user, expiry=expires_in, name=name.strip())
        event_record(
            kind="api_token.created",
            summary=f"API token “{token.name}” created for {user.get_username()}",
            subject=("api_token", str(token.public_id)),
            data={"user": user.get_username(), "expiry": token.expiry.isoformat() if token.expiry else None},
        )
    return token, text


def api_token_revoke(*, token: ApiToken) -> None:
    """Deletes the token: scripts that send it are refused from now on."""
    with transaction.atomic():
        event_record(
            kind="api_token.revoked",
            summary=f"API token “{token.name}” of {token.user.get_username()} revoked",
            subject=("api_token", str(token.public_id)),
            data={"user": token.user.get_username()},
        )
        token.delete()


def api_token_mark_used(*, token: ApiToken, every: timedelta = timedelta(minutes=1)) -> None:
    """Records that the token was just used; at most once a minute, so scripts cost few writes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= every:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
