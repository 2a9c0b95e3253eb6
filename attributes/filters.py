"""The filter of a person's attribute history in the API
(/api/profile/<username>/attributes/history): `?key=` lists the changes of one attribute, by its
key, also one whose definition has been deleted since; an empty value means every attribute."""

import django_filters

from attributes.models import AttributeHistory


class AttributeHistoryFilterSet(django_filters.FilterSet):
    # Not trimmed: a key is matched exactly as given.
    key = django_filters.CharFilter(
        field_name="attribute_key", strip=False, label="Only the changes of this attribute."
    )

    class Meta:
        model = AttributeHistory
        fields = ["key"]
