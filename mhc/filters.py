"""What every list's FilterSet shares: how a page reads one.

Each list has one FilterSet (`<app>/filters.py`) that its page (or profile-page section) and its
API view both use, so a parameter means the same in both and the OpenAPI schema lists exactly the
values accepted. They differ only in what a bad value does: the API answers 400 naming the
parameter (DRF's DjangoFilterBackend), a page leaves the value out and shows the list unfiltered
by it, since its links and forms never send one.
"""

from django.http import QueryDict
from django_filters import FilterSet


def filters_for_page(filterset_class: type[FilterSet], data: QueryDict | dict, **kwargs) -> FilterSet:
    """`filterset_class` bound to a page's query string, without the values it refuses."""
    filters = filterset_class(data, **kwargs)
    if filters.is_valid():
        return filters
    known = data.copy()
    for name in filters.errors:
        known.pop(name, None)
    filters = filterset_class(known, **kwargs)
    filters.is_valid()  # an absent value is valid: this cleans the values that are left
    return filters


def chosen(filters: FilterSet, name: str) -> str:
    """The value of one filter a valid filter set was given ("" when none)."""
    return filters.form.cleaned_data.get(name) or ""
