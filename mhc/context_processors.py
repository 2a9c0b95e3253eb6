"""Template context every page shares."""

from django.conf import settings


def app(request):
    return {"owner_username": settings.MHC_OWNER_USERNAME}
