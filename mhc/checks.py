"""System checks for settings that would otherwise fail later, on some page, as a 500."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from mhc.usernames import USERNAME_RE


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


SECRET_KEY_MISSING = "SECRET_KEY must be set when DEBUG is off."


def _secret_key_missing() -> bool:
    try:
        settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key as it is read
    except ImproperlyConfigured:
        return True
    return False


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if not _secret_key_missing():
        return []
    return [Error(SECRET_KEY_MISSING, hint="Set SECRET_KEY in the environment or .env.", id="mhc.E002")]


def require_secret_key() -> None:
    """Refuse to serve without a SECRET_KEY (the WSGI and ASGI entry points call it at start)."""
    if _secret_key_missing():
        raise ImproperlyConfigured(SECRET_KEY_MISSING)


@register(Tags.security, deploy=True)
def production_settings_are_given(app_configs, **kwargs):
    """The settings a production server cannot guess (scripts/serve refuses to start without them)."""
    if settings.DEBUG:
        return []
    errors = []
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS must be set when DEBUG is off.",
                hint="The host names the site is served under, e.g. ALLOWED_HOSTS=mhc.example.com.",
                id="mhc.E003",
            )
        )
    if not getattr(settings, "DATABASE_URL_SET", True):
        errors.append(
            Error(
                "DATABASE_URL must be set when DEBUG is off.",
                hint="For example DATABASE_URL=postgres://mhc@127.0.0.1:5432/mhc (see docs/deploy.md).",
                id="mhc.E004",
            )
        )
    return errors
