"""The filters of the people directory, shared by the page (/people/) and the API (/api/people),
so both read a search, a role, a sort and the filters other apps plug in the same way, and the
OpenAPI schema lists them:

- `q` on the page, `search` in the API (the name scripts and the autocomplete send): the start
  of a username (or a former one), or part of a display name;
- `role`; `sort`, a column of PEOPLE_SORTS, "-" first for descending (by username otherwise);
- one parameter per directory filter registered by other apps (profiles.directory): its `apply`
  narrows the people; a value none of its `choices()` has is refused, as any bad value is.

A plain search (text alone, in username order) is read as `PeopleSearch`, the indexed, merged
reading built for a large directory; anything else is one queryset.
"""

import functools

import django_filters
from django.utils.functional import lazy

from profiles.directory import DirectoryFilter, directory_filters
from profiles.models import Person
from profiles.selectors import PEOPLE_SORTS, PeopleSearch, people_listed, people_sorted

TEXT_HELP = "Start of a username (or part of a display name)."
SORT_CHOICES = [(f"{sign}{key}", f"{sign}{key}") for key in PEOPLE_SORTS for sign in ("", "-")]
DEFAULT_SORT = "username"


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=TEXT_HELP)
    role = django_filters.ChoiceFilter(
        choices=Person.Role.choices,
        label="Only people of this role.",
        error_messages={"invalid_choice": "Role must be one of: " + ", ".join(Person.Role.values) + "."},
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_sort",
        label='The column to sort by, "-" first for descending (by username when not given).',
        error_messages={
            "invalid_choice": "Sort must be one of: " + ", ".join(v for v, _ in SORT_CHOICES) + "."
        },
    )

    text_parameter = "q"

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        # A plain search reads the whole directory (PeopleSearch), so the default is everyone.
        super().__init__(data, queryset if queryset is not None else people_listed(), **kwargs)

    def filter_text(self, queryset, name: str, value: str):
        return queryset.search(value)

    def filter_sort(self, queryset, name: str, value: str):
        return people_sorted(queryset, value)

    def filter_directory(self, queryset, name: str, value: str):
        return directory_filters.get(name).apply(queryset, value)

    def filter_queryset(self, queryset):
        if self.is_plain_search:
            return PeopleSearch(self.text)
        return super().filter_queryset(queryset)

    @property
    def text(self) -> str:
        return (self.form.cleaned_data.get(self.text_parameter) or "").lower()

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list (a sort does not)."""
        return any(value for name, value in self.form.cleaned_data.items() if name != "sort")

    @property
    def is_plain_search(self) -> bool:
        others = {
            name: value for name, value in self.form.cleaned_data.items() if name != self.text_parameter
        }
        sort = others.pop("sort", "") or DEFAULT_SORT
        return bool(self.text) and sort == DEFAULT_SORT and not any(others.values())


class PersonApiFilterSet(PersonFilterSet):
    """The same filters in the API, where the text is `?search=`."""

    q = None
    search = django_filters.CharFilter(method="filter_text", label=TEXT_HELP)

    text_parameter = "search"


def person_filterset(base: type[PersonFilterSet] = PersonFilterSet) -> type[PersonFilterSet]:
    """`base` with a parameter for each directory filter registered now."""
    return _with_directory_filters(base, tuple(directory_filters.all()))


def _allowed_values(directory_filter: DirectoryFilter) -> str:
    """The error for a value none of the filter's choices has, listing those it has."""
    values = ", ".join(value for value, _ in directory_filter.choices())
    # Django fills "%(value)s" into the message, so a "%" in a choice must not read as one.
    return f"{directory_filter.label} must be one of: {values}.".replace("%", "%%")


@functools.cache
def _with_directory_filters(base: type[PersonFilterSet], registered: tuple[DirectoryFilter, ...]):
    filters = {
        item.key: django_filters.ChoiceFilter(
            choices=item.choices,
            method="filter_directory",
            label=f"{item.label}: only people with this value.",
            # Read only when a value is refused: an attribute's choices are rows.
            error_messages={"invalid_choice": lazy(_allowed_values, str)(item)},
        )
        for item in registered
    }
    return type(base.__name__, (base,), filters)
