from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    """People seen on cam together: one row per pair, shown on both profiles."""

    name = "collaborations"
    verbose_name = "Collaborations"

    def ready(self) -> None:
        from collaborations import jobs, merging, sections, undo

        sections.register()
        merging.register()
        undo.register()
        jobs.register()
