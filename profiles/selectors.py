"""Reads that the profile page, the directory and the API share."""

from typing import TYPE_CHECKING

from django.http import Http404

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


def people_search(*, text: str = "", role: str = "") -> PersonQuerySet:
    """People whose username starts with `text` (or whose display name contains it), by username."""
    people = Person.objects.with_profile().search(text)
    if role:
        people = people.filter(role=role)
    return people.order_by("username")


def section_states(user: "AbstractBaseUser | AnonymousUser") -> dict[str, bool]:
    """{section key: is open} for the sections this user has opened or closed."""
    if not user.is_authenticated:
        return {}
    return dict(SectionPreference.objects.filter(user=user).values_list("section_key", "is_open"))
