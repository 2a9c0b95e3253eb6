from django import forms
from django.contrib import admin

from profiles.models import Person, Profile, SectionPreference
from profiles.services import PROFILE_EDITABLE_FIELDS, profile_update
from profiles.usernames import normalize_username


def _editable(form) -> dict:
    return {name: form.cleaned_data[name] for name in PROFILE_EDITABLE_FIELDS if name in form.cleaned_data}


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


class PersonAdminForm(forms.ModelForm):
    def clean_username(self) -> str:
        # Stored trimmed and lower-case, as every other way in stores it.
        return normalize_username(self.cleaned_data["username"])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["username", "platform", "role", "first_seen_at", "last_seen_at"]
    list_filter = ["role", "platform"]
    search_fields = ["username", "profile__display_name"]
    readonly_fields = ["id", "created_at", "updated_at"]
    date_hierarchy = "last_seen_at"
    inlines = [ProfileInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Profile:
            return super().save_formset(request, form, formset, change)
        # Profile writes go through the service, so what derives from them (attributes) follows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.has_changed():
                existed = inline_form.instance.pk is not None
                profile = profile_update(person=form.instance, **_editable(inline_form))
                if existed:
                    formset.changed_objects.append((profile, inline_form.changed_data))
                else:
                    formset.new_objects.append(profile)
        return None


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "display_name", "location", "followers", "rank", "last_broadcast_at"]
    list_select_related = ["person"]
    search_fields = ["person__username", "display_name"]
    list_filter = ["gender"]
    readonly_fields = ["created_at", "updated_at"]
    autocomplete_fields = ["person"]

    def save_model(self, request, obj, form, change):
        obj.pk = profile_update(person=obj.person, **_editable(form)).pk


@admin.register(SectionPreference)
class SectionPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "section_key", "is_open", "updated_at"]
    list_filter = ["section_key", "is_open"]
