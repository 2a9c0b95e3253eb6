from django.apps import AppConfig


class AttributesConfig(AppConfig):
    """Owner-defined yes/no attributes of people, with full history."""

    name = "attributes"
    verbose_name = "Attributes"

    def ready(self) -> None:
        from attributes import merging, sections, signals

        signals.connect()
        sections.register()
        merging.register()
