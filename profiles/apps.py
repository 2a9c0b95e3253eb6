from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """People, their profiles, the profile page and the people directory."""

    name = "profiles"
    verbose_name = "People and profiles"

    def ready(self) -> None:
        from profiles import home, page, undo
        from profiles.merging import rules

        page.register()
        rules.register()
        undo.register()
        home.register()
