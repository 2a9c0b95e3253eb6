"""Security headers on every answer: the Content-Security-Policy (django-csp) and a
Permissions-Policy.

The policy (CONTENT_SECURITY_POLICY in settings) allows scripts and styles only from our own
static files: no inline <script>, no style="" or on*= attributes, no eval. Two additions are made
per request:
- images may also come from the S3 server media is stored on (the image view redirects to a
  short-lived signed URL there), read from the storage settings in force;
- paths under CSP_RELAXED_PATHS (the Django admin, whose widgets and our admin thumbnails use
  inline styles) get the extra sources listed there.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse


def media_origin() -> str | None:
    """The scheme and host of the S3 server images are served from, or None for local storage."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if "bucket_name" not in options:
        return None
    endpoint = (
        options.get("endpoint_url") or f"https://s3.{options.get('region_name') or 'us-east-1'}.amazonaws.com"
    )
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request: HttpRequest, response: HttpResponse, report_only: bool = False):
        parts: PolicyParts = super().get_policy_parts(request, response, report_only)
        update: dict[str, list[str]] = {key: list(value) for key, value in (parts.update or {}).items()}
        origin = media_origin()
        if origin:
            update.setdefault("img-src", []).append(origin)
        for prefix, extra in settings.CSP_RELAXED_PATHS.items():
            if request.path_info.startswith(prefix):
                for directive, sources in extra.items():
                    update.setdefault(directive, []).extend(sources)
        parts.update = update or None
        return parts


class PermissionsPolicyMiddleware:
    """Turns off browser features the app never uses (camera, microphone, location …)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
