from django.apps import AppConfig


class MhcConfig(AppConfig):
    """The project package as an app, so its templates, static files and commands are found."""

    name = "mhc"
    verbose_name = "MHC Control Panel"

    def ready(self) -> None:
        from mhc import checks, lookups  # noqa: F401  (register the system checks, `__any`)
        from mhc.api_base import use_strict_json_scalars

        use_strict_json_scalars()
