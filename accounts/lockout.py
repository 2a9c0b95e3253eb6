"""The address django-axes counts failed logins against."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind our proxy (BEHIND_PROXY), the last address the proxy added
    to X-Forwarded-For (earlier entries come from the client and can be forged); otherwise the
    connection's own address."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
