"""Every event recorded while a request is served names the request's user as its actor."""

from events.context import serving


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving(request):
            return self.get_response(request)
