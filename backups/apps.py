from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Full exports of the database and the media library, and their verified restore."""

    name = "backups"
    verbose_name = "Backups"
