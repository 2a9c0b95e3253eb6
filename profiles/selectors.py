"""Reads that the profile page, the directory and the API share."""

import heapq
from typing import TYPE_CHECKING

from django.db.models import F
from django.http import Http404

from mhc.exceptions import ValidationError
from profiles.models import Person, PersonQuerySet, SectionPreference
from profiles.usernames import USERNAME_RE

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def person_by_username(username: str, *, platform: str = Person.DEFAULT_PLATFORM) -> Person:
    """The person (with profile) behind a URL's username, or Http404."""
    username = (username or "").lower()
    if not USERNAME_RE.fullmatch(username):
        raise Http404("No such person.")
    try:
        return Person.objects.with_profile().get(username=username, platform=platform)
    except Person.DoesNotExist:
        raise Http404(f"Nobody called {username!r} has been seen.") from None


# The directory's sortable columns: ?sort=<key> ascending, ?sort=-<key> descending.
PEOPLE_SORTS = {
    "username": ("username",),
    "name": ("profile__display_name", "username"),
    "role": ("role", "username"),
    "followers": ("profile__followers", "username"),
    "seen": ("last_seen_at", "username"),
}


def people_sort(sort: str) -> tuple[str, bool]:
    """(column key, descending) for a `sort` parameter; an unknown one sorts by username."""
    key = sort.removeprefix("-")
    if key not in PEOPLE_SORTS:
        return "username", False
    return key, sort.startswith("-")


class PeopleSearch:
    """The people a search finds, by username, as Django's Paginator and DRF's paging read a
    list: `count()` and slices. Built for a large directory:

    - the count is taken once, over the union of the two halves' ids (username prefix, display
      name part), each read through its own index (trigram indexes on PostgreSQL), without
      joining the people table;
    - a page reads at most offset + limit people of each half, in username order, and merges
      them: neither half is joined to the other or read whole.
    """

    ordered = True

    def __init__(self, text: str):
        # `>= text` is true of every match; it lets the username index start the page's scan
        # at the prefix instead of at "a".
        self.by_username = Person.objects.filter(username__gte=text, username__startswith=text)
        self.by_name = Person.objects.filter(profile__display_name__icontains=text)
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            ids = self.by_username.order_by().values("pk").union(self.by_name.order_by().values("pk"))
            self._count = ids.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("A search's results are read a page (a slice) at a time.")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        halves = [
            list(half.with_profile().order_by("username")[:stop]) for half in (self.by_username, self.by_name)
        ]
        seen: set = set()
        merged = []
        for person in heapq.merge(*halves, key=lambda person: person.username):
            if person.pk not in seen:
                seen.add(person.pk)
                merged.append(person)
        return merged[start:stop]


def people_found(text: str) -> "PeopleSearch | PersonQuerySet":
    """What the API's `?search=` lists: a `PeopleSearch` for a search, everyone otherwise."""
    text = (text or "").strip().lower()
    return PeopleSearch(text) if text else people_search()


def people_search(*, text: str = "", role: str = "", sort: str = "username") -> PersonQuerySet:
    """People whose username starts with `text` (or whose display name contains it), sorted by
    `sort` (a key of PEOPLE_SORTS, "-" first for descending; by username otherwise)."""
    people = Person.objects.with_profile().search(text)
    if role:
        people = people.filter(role=role)
    key, descending = people_sort(sort)
    first, *rest = PEOPLE_SORTS[key]
    order = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
    return people.order_by(order, *rest)


def section_states(user: "AbstractBaseUser | AnonymousUser") -> dict[str, bool]:
    """{section key: is open} for the sections this user has opened or closed."""
    if not user.is_authenticated:
        return {}
    return dict(SectionPreference.objects.filter(user=user).values_list("section_key", "is_open"))


def people_by_usernames(usernames: list[str], *, field: str = "usernames") -> list[Person]:
    """The people with these (normalised) usernames, in the order given, in one query; a
    ValidationError on `field` names any nobody has seen (bulk edits act on known people only)."""
    found = {
        person.username: person
        for person in Person.objects.filter(username__in=usernames, platform=Person.DEFAULT_PLATFORM)
    }
    unknown = [username for username in usernames if username not in found]
    if unknown:
        raise ValidationError({field: f"Nobody called {', '.join(unknown)} has been seen."})
    return [found[username] for username in dict.fromkeys(usernames)]
