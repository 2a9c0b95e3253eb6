"""Browse and search what came from the original database. Read-only: these rows are the
record of the move."""

from django.contrib import admin

from legacy.models import ImportProgress, LegacyDetails, LegacyRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegacyRecord)
class LegacyRecordAdmin(ReadOnlyAdmin):
    list_display = ("source_table", "source_key", "reason", "person", "created_at")
    list_filter = ("source_table", "reason")
    search_fields = ("source_key", "reason", "person__username", "row")
    list_select_related = ("person",)
    readonly_fields = ("source_table", "source_key", "reason", "person", "row", "created_at")


@admin.register(LegacyDetails)
class LegacyDetailsAdmin(ReadOnlyAdmin):
    list_display = ("source_table", "source_key", "person", "target")
    list_filter = ("source_table",)
    search_fields = ("source_key", "target", "person__username", "data")
    list_select_related = ("person",)
    readonly_fields = ("source_table", "source_key", "person", "target", "data")


@admin.register(ImportProgress)
class ImportProgressAdmin(ReadOnlyAdmin):
    list_display = ("source_table", "read", "imported", "merged", "kept_aside", "finished", "updated_at")
    readonly_fields = (*list_display, "last_key")
