"""Manage Attributes: where the owner lists, creates, changes and deletes attributes, and reads
their history. Writes go through the services, so the history records the admin user."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from attributes.models import AttributeDefinition, AttributeHistory
from attributes.selectors import next_sort_order
from attributes.services import (
    DEFINITION_EDITABLE_FIELDS,
    definition_create,
    definition_delete,
    definition_update,
)
from mhc.colors import TONES


def swatch(color: str, text: str = ""):
    return format_html(
        '<span style="white-space:nowrap"><span style="display:inline-block;width:.9rem;height:.9rem;'
        'border-radius:3px;vertical-align:middle;margin-right:.35rem;background:{}"></span>{}</span>',
        TONES.get(color, TONES["gray"]),
        text,
    )


SWATCH_CHOICES = [(name, swatch(name, name.capitalize())) for name in TONES]


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ["coloured_label", "key", "display", "is_system", "sort_order", "people"]
    list_display_links = ["coloured_label", "key"]
    list_filter = ["is_system", "show_as_badge", "is_auto_derived"]
    search_fields = ["key", "label", "description"]
    fields = [
        "key",
        "label",
        "color",
        "show_as_badge",
        "description",
        "icon",
        "sort_order",
        "is_system",
        "is_auto_derived",
        "created_at",
    ]
    radio_fields = {"color": admin.HORIZONTAL}
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_people_count()

    def get_readonly_fields(self, request, obj=None):
        fixed = ["is_system", "is_auto_derived", "created_at"]
        return ["key", *fixed] if obj else fixed

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "color":
            kwargs["choices"] = SWATCH_CHOICES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"sort_order": next_sort_order(), **super().get_changeform_initial_data(request)}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Manage Attributes", **(extra_context or {})})

    @admin.display(description="label", ordering="label")
    def coloured_label(self, definition: AttributeDefinition):
        return swatch(definition.color, f"{definition.icon} {definition.label}".strip())

    @admin.display(description="shown as", ordering="show_as_badge")
    def display(self, definition: AttributeDefinition) -> str:
        return "badge" if definition.show_as_badge else "checkbox"

    @admin.display(description="people", ordering="people_count")
    def people(self, definition: AttributeDefinition):
        url = reverse("admin:attributes_attributehistory_changelist") + f"?attribute_key={definition.key}"
        return format_html('{} <a href="{}">history</a>', definition.people_count, url)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_system)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in DEFINITION_EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            definition_update(definition=obj, **fields)
        else:
            created = definition_create(key=form.cleaned_data["key"], **fields)
            obj.pk, obj.created_at = created.pk, created.created_at

    def delete_model(self, request, obj):
        definition_delete(definition=obj, changed_by=request.user)

    @transaction.atomic  # a bulk delete is all or nothing, as Django's own is
    def delete_queryset(self, request, queryset):
        for definition in queryset:
            definition_delete(definition=definition, changed_by=request.user)

    def get_deleted_objects(self, objs, request):
        """What the confirmation page lists: each attribute and how many people have it set
        (instead of every stored value)."""
        definitions = self.get_queryset(request).filter(pk__in=[obj.pk for obj in objs])
        listed, people = [], 0
        for definition in definitions:
            url = reverse("admin:attributes_attributedefinition_change", args=[definition.pk])
            listed.append(format_html('Attribute: <a href="{}">{}</a>', url, definition.label))
            listed.append(
                [
                    f"Set on {definition.people_count} "
                    f"{'person' if definition.people_count == 1 else 'people'}: "
                    "their values are removed, their history is kept."
                ]
            )
            people += definition.people_count
        refused = {d.label for d in definitions if not self.has_delete_permission(request, d)}
        counts = {"attributes": len(definitions), "people with them set": people}
        return listed, counts, refused, []

    @admin.action(permissions=["delete"], description="Delete selected custom attributes")
    def delete_selected(self, request, queryset):
        system = [definition.label for definition in queryset if definition.is_system]
        if system:
            self.message_user(
                request, f"System attributes cannot be deleted: {', '.join(system)}.", messages.ERROR
            )
            return None
        return django_delete_selected(self, request, queryset)


@admin.register(AttributeHistory)
class AttributeHistoryAdmin(admin.ModelAdmin):
    """Every attribute change, read-only. Nothing here deletes history; the delete permission is
    left as it is only so that deleting a person in the admin may take their history along."""

    list_display = ["changed_at", "person", "attribute_key", "old_value", "new_value", "changed_by"]
    list_filter = ["attribute_key", "new_value", ("changed_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "changed_by"]
    search_fields = ["person__username", "attribute_key"]
    date_hierarchy = "changed_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied("Attribute history is append-only.")
