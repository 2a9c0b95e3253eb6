"""How other apps extend the people directory (`/people/`) without `profiles` knowing them.

- A **DirectoryFilter** adds a drop-down above the list (e.g. "Attribute: Watchlist"): its
  `choices()` lists the options and `apply(queryset, value)` narrows the people queryset.
- A **DirectoryColumn** adds a column: `load(people)` is called once per page with the page's
  people and returns `{person.id: value}` (in a constant number of queries), and `template`
  renders one cell with `value` and `person` in its context.
- A **DirectoryAction** adds a bulk edit to the bar above the list: `template` is a form posting
  to the app's bulk API, which `profiles/directory.js` fills with the selected usernames (its
  `<input name="usernames" data-bulk-usernames>`); `load()` returns the template's context.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from profiles.registry import Registry

if TYPE_CHECKING:
    from profiles.models import Person, PersonQuerySet

# The page's and the API's own parameters (profiles.filters, and the API's paging).
RESERVED_PARAMETERS = frozenset({"q", "search", "page", "role", "sort", "limit", "offset"})


@dataclass(frozen=True)
class DirectoryFilter:
    key: str  # its query-string parameter
    label: str
    order: int
    choices: Callable[[], Sequence[tuple[str, str]]] = field(compare=False)
    apply: Callable[["PersonQuerySet", str], "PersonQuerySet"] = field(compare=False)


@dataclass(frozen=True)
class DirectoryColumn:
    key: str
    title: str
    order: int
    template: str
    load: Callable[[Sequence["Person"]], dict[Any, Any]] = field(compare=False)


@dataclass(frozen=True)
class DirectoryAction:
    key: str
    label: str
    order: int
    template: str
    load: Callable[[], dict] = field(default=dict, compare=False)


directory_filters: Registry[DirectoryFilter] = Registry("directory filter")
directory_columns: Registry[DirectoryColumn] = Registry("directory column")
directory_actions: Registry[DirectoryAction] = Registry("directory action")


def register_directory_filter(directory_filter: DirectoryFilter) -> DirectoryFilter:
    if directory_filter.key in RESERVED_PARAMETERS:
        raise ImproperlyConfigured(f"{directory_filter.key!r} is a reserved directory parameter.")
    return directory_filters.register(directory_filter)


def register_directory_column(column: DirectoryColumn) -> DirectoryColumn:
    return directory_columns.register(column)


def register_directory_action(action: DirectoryAction) -> DirectoryAction:
    return directory_actions.register(action)
