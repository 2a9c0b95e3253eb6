from django.apps import AppConfig


class AttributesConfig(AppConfig):
    """Owner-defined yes/no attributes of people, with full history."""

    name = "attributes"
    verbose_name = "Attributes"

    def ready(self) -> None:
        from attributes import as_of, home, merging, sections, signals, undo

        signals.connect()
        sections.register()
        merging.register()
        undo.register()
        as_of.register()
        home.register()
