"""The event log in the admin: read-only, searchable, filterable."""

from django.contrib import admin

from events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "summary", "username", "other_username", "actor_kind", "actor_name"]
    list_filter = ["actor_kind", "kind"]
    search_fields = ["summary", "username", "other_username", "why", "actor_name"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
