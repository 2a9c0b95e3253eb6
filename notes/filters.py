"""The filter of a profile's notes, shared by the Notes section's tabs and the API
(/api/profile/<username>/notes), so both read `?category=` the same way. An empty value means
every category (the section's "All" tab)."""

import django_filters

from notes.models import CATEGORY_HELP, Note


class NoteFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=Note.Category.choices,
        label="Only this category.",
        error_messages={"invalid_choice": f"Unknown category %(value).40r. {CATEGORY_HELP}"},
    )

    class Meta:
        model = Note
        fields = ["category"]
