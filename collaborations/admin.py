from django import forms
from django.contrib import admin

from collaborations.models import ClusterRun, Collaboration, ordered_pair
from collaborations.services import SELF_COLLABORATION_MESSAGE, collaboration_add, collaboration_update


class CollaborationForm(forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = ["person_a", "person_b", "notes", "first_seen_at"]
        help_texts = {"person_b": "Pick the two people in either order: the pair is stored once, ordered."}

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("person_a"), cleaned.get("person_b")
        if first and second:
            if first == second:
                raise forms.ValidationError(SELF_COLLABORATION_MESSAGE)
            # The pair may be picked in either order; it is stored ordered (see the model).
            cleaned["person_a"], cleaned["person_b"] = ordered_pair(first, second)
        return cleaned


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    form = CollaborationForm
    list_display = ["person_a", "person_b", "notes", "first_seen_at", "created_at"]
    list_select_related = ["person_a", "person_b"]
    search_fields = ["person_a__username", "person_b__username"]
    date_hierarchy = "first_seen_at"
    autocomplete_fields = ["person_a", "person_b"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A saved collaboration is that pair; another pair is another collaboration.
        return [*self.readonly_fields, "person_a", "person_b"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            collaboration_update(collaboration=obj, notes=obj.notes, first_seen_at=obj.first_seen_at)
            return
        collaboration, _ = collaboration_add(
            person=obj.person_a, other=obj.person_b, notes=obj.notes, first_seen_at=obj.first_seen_at
        )
        obj.pk = collaboration.pk


@admin.register(ClusterRun)
class ClusterRunAdmin(admin.ModelAdmin):
    """The kept clusters of the whole network, for a look: computed by the collaboration-clusters
    job or `manage.py graph_clusters`, never edited here."""

    list_display = ["computed_at", "cluster_count", "people", "pairs", "seconds", "stamp"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
