"""Reads that the profile page, the directory and the API share."""

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
