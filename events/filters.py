"""The filter of the event log, shared by the Activity log section and the API (a person's
history and everyone's latest events): `?kind=` is a group of kinds, an event kind's first word
("note" lists note.created, note.deleted …); an empty value means any kind."""

import django_filters

from events.models import Event
from events.selectors import KIND_GROUPS

KIND_HELP = ", ".join(f"{value}: {label}" for value, label in KIND_GROUPS)


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=KIND_GROUPS,
        method="filter_kind",
        label=f"Only events of this kind ({KIND_HELP}).",
        error_messages={"invalid_choice": f"Kind must be one of: {', '.join(dict(KIND_GROUPS))}."},
    )

    class Meta:
        model = Event
        fields = ["kind"]

    def filter_kind(self, queryset, name: str, value: str):
        return queryset.of_kinds(value)
