"""What every list's FilterSet shares: how a page reads one.

Each list has one FilterSet (`<app>/filters.py`) that its page (or profile-page section) and its
API view both use, so a parameter means the same in both and the OpenAPI schema lists exactly the
values accepted. They differ only in what a bad value does: the API answers 400 naming the
parameter (DRF's DjangoFilterBackend); a page still renders, leaving the value out and saying
so (`refused`), with the list unfiltered by it: its own links and forms never send one, but an
old bookmark or a hand-edited address may.
"""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django_filters import FilterSet


def filters_for_page(filterset_class: type[FilterSet], data: QueryDict | dict, **kwargs) -> FilterSet:
    """`filterset_class` bound to a page's query string, without the values it refuses; its
    `refused` lists a message for each value left out, for the page to show."""
    filters = filterset_class(data, **kwargs)
    if filters.is_valid():
        filters.refused = []
        return filters
    refused = [
        _refusal(name, data.get(name, ""), errors) for name, errors in filters.errors.as_data().items()
    ]
    known = data.copy()
    for name in filters.errors:
        known.pop(name, None)
    filters = filterset_class(known, **kwargs)
    filters.is_valid()  # an absent value is valid: this cleans the values that are left
    filters.refused = refused
    return filters


def _refusal(name: str, value: str, errors: list[ValidationError]) -> str:
    """What a page says of a value it left out: "The kind filter was ignored: “notes” is not
    one of its choices. Kind must be one of: …"."""
    said = f"The {name} filter was ignored"
    if all(error.code == "invalid_choice" for error in errors):
        said += f": “{value}” is not one of its choices"
    return f"{said}. " + " ".join(message for error in errors for message in error.messages)


def chosen(filters: FilterSet, name: str) -> str:
    """The value of one filter a valid filter set was given ("" when none)."""
    return filters.form.cleaned_data.get(name) or ""
