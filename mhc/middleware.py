"""Refuses a query string with a NUL character, for pages and the API alike."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from mhc.views import is_api_request

NUL_MESSAGE = "The address has a NUL character (%00) in its query string; remove it."


class NulQueryStringMiddleware:
    """400 for `?search=%00`-style addresses, before any view reads them.

    PostgreSQL text cannot hold NUL, so a search or filter that carried one to the database
    failed there with a 500. Forms and serializers already refuse NUL in the fields they read;
    the query string is the one way raw text reaches the selectors, so it is checked once, here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            if is_api_request(request):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
