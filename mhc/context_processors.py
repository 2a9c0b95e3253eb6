"""Template context every page shares."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from mhc.auth import access_level


def app(request):
    return {
        "owner_username": settings.MHC_OWNER_USERNAME,
        # "owner", "editor", "viewer" or None: lets pages hide what the account may not use.
        "access_level": SimpleLazyObject(lambda: access_level(request.user) or ""),
    }
