from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from mhc.exceptions import Conflict, messages_of
from profiles.models import AlternateAccount, FormerUsername, Person, PersonMerge, Profile, SectionPreference
from profiles.selectors import alternates_of, merge_undo_blockers
from profiles.services import (
    PROFILE_EDITABLE_FIELDS,
    person_merge,
    person_merge_preview,
    person_merge_undo,
    person_rename,
    profile_update,
)
from profiles.usernames import normalize_username


def _editable(form) -> dict:
    return {name: form.cleaned_data[name] for name in PROFILE_EDITABLE_FIELDS if name in form.cleaned_data}


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


class FormerUsernameInline(admin.TabularInline):
    model = FormerUsername
    extra = 0
    can_delete = False
    fields = ["username", "platform", "used_from", "used_until", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # names become former ones through a rename or a merge


class PersonAdminForm(forms.ModelForm):
    def clean_username(self) -> str:
        # Stored trimmed and lower-case, as every other way in stores it.
        username = normalize_username(self.cleaned_data["username"])
        platform = self.data.get("platform") or Person.DEFAULT_PLATFORM
        former = (
            FormerUsername.objects.filter(username=username, platform=platform)
            .select_related("person")
            .first()
        )
        if former is not None:
            raise ValidationError(f"{username} is a former name of {former.person.username}.")
        return username


class RenameForm(forms.Form):
    new_username = forms.CharField(max_length=80)
    take_former = forms.BooleanField(required=False, label="Take it even if it is someone else's former name")


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label="Keep", widget=forms.RadioSelect)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(person.pk), person.username) for person in people]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["username", "platform", "role", "first_seen_at", "last_seen_at"]
    list_filter = ["role", "platform"]
    search_fields = ["username", "profile__display_name", "former_usernames__username"]
    readonly_fields = ["id", "alternate_accounts", "created_at", "updated_at"]
    date_hierarchy = "last_seen_at"
    inlines = [ProfileInline, FormerUsernameInline]
    actions = ["rename", "merge"]

    def get_inlines(self, request, obj=None):
        # Former names exist only for someone already recorded (they come from renames).
        return self.inlines if obj is not None else [ProfileInline]

    def get_readonly_fields(self, request, obj=None):
        # A username changes through Rename, which keeps the old one as a former name.
        return [*self.readonly_fields, "username"] if obj is not None else self.readonly_fields

    @admin.display(description="alternate accounts")
    def alternate_accounts(self, person: Person) -> str:
        links = alternates_of(person)
        if not links:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:profiles_person_change", args=[link["person"].pk]), link["person"].username)
                for link in links
            ),
        )

    @admin.action(description="Rename the selected person…")
    def rename(self, request, queryset):
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(request, "Select exactly one person to rename.", messages.ERROR)
            return None
        person = people[0]
        form = RenameForm(request.POST if "new_username" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                person_rename(
                    person=person,
                    new_username=form.cleaned_data["new_username"],
                    take_former=form.cleaned_data["take_former"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(m for ms in messages_of(error).values() for m in ms))
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, f"Renamed {person.username}.", messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Rename {person.username}",
            "form": form,
            "people": people,
            "opts": self.model._meta,
            "action": "rename",
        }
        return TemplateResponse(request, "admin/profiles/person/identity_action.html", context)

    @admin.action(description="Merge the two selected people…")
    def merge(self, request, queryset):
        people = list(queryset.order_by("username")[:3])
        if len(people) != 2:
            self.message_user(request, "Select exactly two people to merge.", messages.ERROR)
            return None
        form = MergeForm(request.POST if "keep" in request.POST else None, people=people)
        preview = None
        if form.is_bound and form.is_valid():
            keep = next(p for p in people if str(p.pk) == form.cleaned_data["keep"])
            merge = next(p for p in people if p.pk != keep.pk)
            try:
                if form.cleaned_data["confirm"]:
                    record = person_merge(keep=keep, merge=merge)
                    self.message_user(
                        request,
                        f"Merged {record.merged_username} into {record.kept_username}.",
                        messages.SUCCESS,
                    )
                    return None
                preview = person_merge_preview(keep=keep, merge=merge)
                form = MergeForm(initial={"keep": form.cleaned_data["keep"], "confirm": True}, people=people)
            except (ValidationError, Conflict) as error:
                form.add_error(None, getattr(error, "message", None) or str(error))
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge two people",
            "form": form,
            "people": people,
            "preview": preview,
            "opts": self.model._meta,
            "action": "merge",
        }
        return TemplateResponse(request, "admin/profiles/person/identity_action.html", context)

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


@admin.register(AlternateAccount)
class AlternateAccountAdmin(admin.ModelAdmin):
    list_display = ["person_a", "person_b", "notes", "created_at"]
    list_select_related = ["person_a", "person_b"]
    search_fields = ["person_a__username", "person_b__username", "notes"]
    readonly_fields = ["person_a", "person_b", "created_at"]

    def has_add_permission(self, request):
        return False  # linked from a profile page or the API, which record the event


@admin.register(FormerUsername)
class FormerUsernameAdmin(admin.ModelAdmin):
    list_display = ["username", "person", "platform", "used_from", "used_until"]
    list_select_related = ["person"]
    search_fields = ["username", "person__username"]
    readonly_fields = ["person", "username", "platform", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ["merged_username", "kept_username", "merged_at", "undone_at"]
    search_fields = ["merged_username", "kept_username"]
    exclude = ["before", "after"]
    readonly_fields = [
        "kept_person_id",
        "kept_username",
        "merged_person_id",
        "merged_username",
        "platform",
        "what_it_did",
        "merged_at",
        "undone_at",
        "undo_blockers",
    ]
    actions = ["undo"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("before", "after")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    @admin.display(description="what it did")
    def what_it_did(self, record: PersonMerge) -> str:
        kinds = format_html_join(
            ", ", "{} {}", ((k["moved"], k["kind"]) for k in record.plan.get("kinds", []))
        )
        conflicts = format_html_join(
            "",
            "<li>{}: {} → {}</li>",
            ((c["kind"], c["description"], c["choice"]) for c in record.plan.get("conflicts", [])),
        )
        return format_html("{}<ul>{}</ul>", kinds, conflicts)

    @admin.display(description="can it be undone?")
    def undo_blockers(self, record: PersonMerge) -> str:
        blockers = merge_undo_blockers(PersonMerge.objects.get(pk=record.pk))
        return "No: " + "; ".join(blockers) if blockers else "Yes"

    @admin.action(description="Undo the selected merges")
    def undo(self, request, queryset):
        for record in queryset.order_by("-merged_at"):
            try:
                person_merge_undo(merge=record)
            except Conflict as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Undid the merge of {record.merged_username} into {record.kept_username}.",
                    messages.SUCCESS,
                )
