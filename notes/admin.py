from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from notes.models import Note
from notes.services import note_create, note_delete, note_update, validate_content_size

EDITABLE_FIELDS = ("content", "category", "source_url", "created_at")


class NoteAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The services' size limit, checked here so that it shows on the form instead of a 500.
        if cleaned.get("content"):
            validate_content_size(cleaned["content"])
        return cleaned


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    form = NoteAdminForm
    list_display = ["profile", "category", "preview", "created_at", "updated_at"]
    list_filter = ["category", "created_at"]
    list_select_related = ["profile__person"]
    search_fields = ["profile__person__username", "content"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["profile"]
    fields = ["profile", "category", "created_at", "source_url", "content", "rendered", "updated_at"]
    readonly_fields = ["rendered", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="text")
    def preview(self, note: Note) -> str:
        return Truncator(" ".join(note.content[:300].split())).chars(80)

    @admin.display(description="formatted (built by the server)")
    def rendered(self, note: Note) -> str:
        # Stored HTML is built from escaped text and cleaned with nh3 before it is saved.
        return mark_safe(note.formatted_content) if note.formatted_content else "—"

    def get_readonly_fields(self, request, obj=None):
        # A note stays on the profile it was written on.
        return [*self.readonly_fields, "profile"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            note = note_update(note=Note.objects.select_related("profile__person").get(pk=obj.pk), **values)
        else:
            note = note_create(person=obj.profile.person, **values)
        obj.pk, obj.formatted_content = note.pk, note.formatted_content

    def delete_model(self, request, obj):
        note_delete(note=obj)

    @transaction.atomic  # a bulk delete is all or nothing, as Django's own is
    def delete_queryset(self, request, queryset):
        for note in queryset:
            note_delete(note=note)
