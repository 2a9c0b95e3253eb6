from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may use the app: the access groups, API tokens and the login's second factor."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
