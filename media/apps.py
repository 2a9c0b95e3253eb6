from django.apps import AppConfig


class MediaConfig(AppConfig):
    """The image library: one table of media records over local or S3 storage, affiliate
    snapshots, and the jobs that create media."""

    name = "media"
    verbose_name = "Media library"

    def ready(self) -> None:
        from media import home, merging, sections, worker

        sections.register()
        merging.register()
        home.register()
        worker.register()
