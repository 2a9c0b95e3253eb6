"""Project-wide views: error pages that speak JSON under /api/ and HTML elsewhere."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views import defaults


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API (mounted at /api/ in mhc/urls.py), which speaks JSON."""
    return request.path_info.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 for any address no URL matches: `{"detail": ...}` for the API, the app's page otherwise."""
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    if isinstance(exception, Resolver404):
        # Django would show the resolver's class name; the page's own words fit an unknown address.
        exception = Http404("")
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 403: `{"detail": ...}` for the API, the page that says why otherwise."""
    reason = str(exception) or "Your account may not do this."
    if is_api_request(request):
        return JsonResponse({"detail": reason}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": "The server could not complete this request."}, status=500)
    return defaults.server_error(request)
