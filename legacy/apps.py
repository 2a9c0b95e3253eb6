from django.apps import AppConfig


class LegacyConfig(AppConfig):
    """What came from the original MHC Control Panel's database: rows kept aside, values our
    models have no field for, and the progress of `import_legacy`."""

    name = "legacy"
    verbose_name = "From the original"

    def ready(self) -> None:
        from legacy import sections

        sections.register()
