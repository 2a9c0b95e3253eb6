from django.apps import AppConfig


class MhcConfig(AppConfig):
    """The project package as an app, so its templates, static files and commands are found."""

    name = "mhc"
    verbose_name = "MHC Control Panel"
