from django.apps import AppConfig


class NotesConfig(AppConfig):
    """Notes on a profile, including pasted chat logs and tip menus."""

    name = "notes"

    def ready(self) -> None:
        from notes import home, sections, undo

        sections.register()
        undo.register()
        home.register()
