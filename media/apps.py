from django.apps import AppConfig


class MediaConfig(AppConfig):
    """The image library: one table of media records over local or S3 storage."""

    name = "media"
