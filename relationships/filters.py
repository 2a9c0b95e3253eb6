"""The filters of the relationships list, shared by the page (/relationships/) and the API
(/api/relationships), so both read `?type=&tier=&status=&mine=` the same way and the OpenAPI
schema shows exactly the values accepted.

An empty value means "any" (the page's select sends `type=` for "Any"); `mine` takes true or
false, also written 1 or 0 (the page's links use 1).
"""

import django_filters

from relationships.models import Relationship, RelationshipType, Status, Tier, allowed_values_message
from relationships.selectors import relationships

MINE_CHOICES = [("true", "true"), ("1", "1"), ("false", "false"), ("0", "0")]


class RelationshipFilterSet(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        choices=RelationshipType.choices,
        label="Only this type.",
        error_messages={"invalid_choice": allowed_values_message("Type", RelationshipType)},
    )
    tier = django_filters.ChoiceFilter(
        choices=Tier.choices,
        label="Only this tier.",
        error_messages={"invalid_choice": allowed_values_message("Tier", Tier)},
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        label="Only this status.",
        error_messages={"invalid_choice": allowed_values_message("Status", Status)},
    )
    mine = django_filters.ChoiceFilter(
        choices=MINE_CHOICES,
        method="filter_mine",
        label="Only the owner's own relationships (MHC_OWNER_USERNAME): true or 1.",
        error_messages={"invalid_choice": "mine must be true, false, 1 or 0."},
    )

    class Meta:
        model = Relationship
        fields = ["type", "tier", "status", "mine"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else relationships(), **kwargs)

    def filter_mine(self, queryset, name: str, value: str):
        return queryset.of_owner() if value in ("true", "1") else queryset

    @property
    def owner_only(self) -> bool:
        return self.form.is_valid() and self.form.cleaned_data.get("mine") in ("true", "1")
