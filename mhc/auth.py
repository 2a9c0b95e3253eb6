"""Who is served: anonymous users are sent to log in (pages) or told 401 (API); of the signed-in
accounts only the owner and the accounts granted a group are served, and the rest get 403.

Access levels:
- owner: a superuser (the account `create_owner` makes). Everything, admin included.
- editor: a member of the "editor" group. Everything but the admin.
- viewer: a member of the "viewer" group. Reads pages, the API and images; writes nothing but
  their own page preferences, API tokens and second factor.
- none: any other account. A 403 everywhere, with a page that says why.

Pages are guarded here by `AccessMiddleware`; the API by `GrantedAccess`, DRF's default
permission class, because a script's token is only read inside DRF's view.
"""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.permissions import SAFE_METHODS, BasePermission

from mhc.views import is_api_request

OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
GRANT_GROUPS = (EDITOR, VIEWER)  # the stronger first: a member of both is an editor

NO_ACCESS_MESSAGE = (
    "Your account has not been granted access to this app. The owner can grant it in the admin "
    'by adding the account to the "viewer" (read-only) or "editor" group.'
)
READ_ONLY_MESSAGE = "Your account can read but not change anything (it is in the viewer group)."
OWNER_ONLY_MESSAGE = "Only the owner's account can use the admin."


def access_level(user) -> str | None:
    """ "owner", "editor", "viewer", or None for an account the owner has not granted."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_mhc_access_level", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        level = OWNER
    else:
        names = set(user.groups.filter(name__in=GRANT_GROUPS).values_list("name", flat=True))
        level = next((name for name in GRANT_GROUPS if name in names), None)
    user._mhc_access_level = level
    return level


def may_write(user) -> bool:
    return access_level(user) in (OWNER, EDITOR)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-required middleware, leaving /api/ to DRF's authentication.

    The API must answer an anonymous script with a JSON 401, not a redirect to an HTML form, and
    DRF already refuses anonymous requests through DEFAULT_PERMISSION_CLASSES.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_request(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _always_allowed(request: HttpRequest, view_func) -> bool:
    """Views every signed-in account may use: logging in and out, and views marked
    `login_not_required` (the login page, static files under runserver)."""
    match = request.resolver_match
    if match and match.url_name in ("login", "logout"):
        return True
    return not getattr(view_func, "login_required", True)


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page: says why, and offers to log out so another account can log in."""
    return render(request, "403.html", {"reason": message}, status=403)


class AccessMiddleware:
    """403 on every page for an ungranted account; page writes for viewers; the admin for all
    but the owner. Placed after the login-required middleware, so the user here is signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_request(request) or not request.user.is_authenticated:
            return None
        if _always_allowed(request, view_func):
            return None
        level = access_level(request.user)
        if level is None:
            return refuse(request, NO_ACCESS_MESSAGE)
        if request.path_info.startswith("/admin/") and level != OWNER:
            return refuse(request, OWNER_ONLY_MESSAGE)
        own_account = getattr(view_func, "viewer_may_post", False) or (
            request.resolver_match and request.resolver_match.namespace == "two_factor"
        )
        if level == VIEWER and request.method not in SAFE_METHODS and not own_account:
            return refuse(request, READ_ONLY_MESSAGE)
        return None


def viewer_may_post(view_func):
    """Marks a page view whose writes concern only the signed-in account (its tokens), so a
    viewer may use it too. The second factor's pages (namespace "two_factor") count as such."""
    view_func.viewer_may_post = True
    return view_func


class GrantedAccess(BasePermission):
    """The API's default permission: a granted account; writes for the owner and editors.

    A view that only stores the signed-in account's own preferences sets `viewer_may_write =
    True`. A session that has not passed the second factor (where one is required) is refused;
    a token is itself proof enough, being issued to a signed-in account or from the shell.
    """

    message = NO_ACCESS_MESSAGE

    def has_permission(self, request, view) -> bool:
        level = access_level(request.user)
        if level is None:
            self.message = NO_ACCESS_MESSAGE
            return False
        if request.auth is None and second_factor_missing(request.user):
            self.message = SECOND_FACTOR_MESSAGE
            return False
        if request.method in SAFE_METHODS or level != VIEWER or getattr(view, "viewer_may_write", False):
            return True
        self.message = READ_ONLY_MESSAGE
        return False


SECOND_FACTOR_MESSAGE = "This account must finish logging in with its second factor (an authenticator app)."


def second_factor_required(user) -> bool:
    """Whether this account must log in with a second factor (MHC_REQUIRE_2FA, on by default
    when DEBUG is off). Every granted account needs one: a viewer reads the whole dossier too."""
    return settings.MHC_REQUIRE_2FA and access_level(user) is not None


def second_factor_missing(user) -> bool:
    """Signed in with a password only, where a second factor is required."""
    if not second_factor_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class SecondFactorMiddleware:
    """Where a second factor is required: an account without one is sent to set it up; a session
    that logged in without it (from before it was required) is logged out and sent to log in.
    The API does the same check in `GrantedAccess`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_request(request) or not request.user.is_authenticated:
            return None
        if _always_allowed(request, view_func) or not second_factor_missing(request.user):
            return None
        from django.contrib import auth, messages
        from django.contrib.auth.views import redirect_to_login
        from two_factor.utils import default_device

        # The login page asks for the code of the account's "default" device (the one set up on
        # the security page); an account without one is sent to set it up.
        if default_device(request.user) is None:
            if request.resolver_match.namespace == "two_factor":
                return None  # setting it up
            messages.info(request, "Set up two-factor login to continue: it is required for this app.")
            return redirect_to_login(request.get_full_path(), "two_factor:setup")
        auth.logout(request)
        return redirect_to_login(request.get_full_path())
