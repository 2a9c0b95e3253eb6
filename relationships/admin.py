"""Admin screens: relationships (written through the services, so every change keeps its history)
and their history (read-only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from relationships.models import Relationship, RelationshipHistory
from relationships.services import (
    RELATIONSHIP_EDITABLE_FIELDS,
    relationship_create,
    relationship_remove,
    relationship_update,
)


class RelationshipAdminForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["profile", "related_person", "type", "tier", "status", "notes", "started_at", "ended_at"]

    def validate_unique(self):
        # Django skips constraints on fields the form does not edit; whose relationship and with
        # whom are read-only on change, yet a new type must still not repeat one the pair has.
        super().validate_unique()
        skipped = self._get_validation_exclusions()
        for constraint in Relationship._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and skipped & set(constraint.fields):
                try:
                    constraint.validate(Relationship, self.instance)
                except ValidationError as error:
                    self._update_errors(error)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    form = RelationshipAdminForm
    list_display = ["whose", "related_person", "type", "tier", "status", "started_at", "updated_at"]
    list_filter = ["type", "tier", "status"]
    search_fields = ["profile__person__username", "related_person__username"]
    list_select_related = ["profile__person", "related_person"]
    autocomplete_fields = ["profile", "related_person"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="whose", ordering="profile__person__username")
    def whose(self, relationship: Relationship) -> str:
        return relationship.profile.person.username

    def get_readonly_fields(self, request, obj=None):
        # Whose relationship and with whom are its identity: remove it and add another instead.
        if obj is not None:
            return ["profile", "related_person", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name]
            for name in RELATIONSHIP_EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            saved = relationship_update(relationship=obj, changed_by=request.user, **values)
        else:
            saved = relationship_create(
                profile=obj.profile, person=obj.related_person, changed_by=request.user, **values
            )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        relationship_remove(relationship=obj, changed_by=request.user)

    @transaction.atomic  # a bulk delete is all or nothing, as Django's own is
    def delete_queryset(self, request, queryset):
        for relationship in queryset:
            relationship_remove(relationship=relationship, changed_by=request.user)


@admin.register(RelationshipHistory)
class RelationshipHistoryAdmin(admin.ModelAdmin):
    """Append-only: the admin shows history but never adds, changes or deletes a row of it."""

    list_display = [
        "changed_at",
        "profile",
        "related_person",
        "action",
        "old_type",
        "new_type",
        "old_tier",
        "new_tier",
        "old_status",
        "new_status",
        "changed_by",
    ]
    list_filter = ["action", "new_type", "new_tier", "new_status"]
    search_fields = ["profile__person__username", "related_person__username"]
    list_select_related = ["profile__person", "related_person", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Delete permission stays as Django grants it, so deleting a person or a profile in the admin
    # may take their history with them; these screens themselves offer no way to delete a row.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied("Relationship history is append-only.")
