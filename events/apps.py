from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The append-only event log: what happened to whom, who did it, when and why."""

    name = "events"
    verbose_name = "Activity events"

    def ready(self) -> None:
        from events import home, sections

        sections.register()
        home.register()
