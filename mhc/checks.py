"""System checks for settings that would otherwise fail later, on some page, as a 500."""

from django.conf import settings
from django.core.checks import Error, register

from profiles.usernames import USERNAME_RE


@register()
def owner_username_is_valid(app_configs, **kwargs):
    if USERNAME_RE.fullmatch(settings.MHC_OWNER_USERNAME or ""):
        return []
    return [
        Error(
            f"MHC_OWNER_USERNAME={settings.MHC_OWNER_USERNAME!r} is not a platform username.",
            hint="Use 1 to 64 letters, digits or underscores (it is the owner's own username).",
            id="mhc.E001",
        )
    ]
