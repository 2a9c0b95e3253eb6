"""Login everywhere: pages redirect anonymous users to the login page, the API answers 401."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

from mhc.views import is_api_request


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-required middleware, leaving /api/ to DRF's authentication.

    The API must answer an anonymous script with a JSON 401, not a redirect to an HTML form, and
    DRF already refuses anonymous requests through DEFAULT_PERMISSION_CLASSES.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_request(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
