"""Reads on accounts."""

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The account's tokens that have not expired, newest first."""
    return ApiToken.objects.filter(user=user).exclude(expiry__lt=timezone.now()).order_by("-created")
