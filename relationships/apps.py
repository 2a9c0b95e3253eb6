from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    """Friends, doms, subs, partners, acquaintances and blocks, with tiers and history."""

    name = "relationships"

    def ready(self) -> None:
        from relationships import as_of, sections, undo

        sections.register()
        undo.register()
        as_of.register()
