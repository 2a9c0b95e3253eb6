"""Reads that the profile page, the directory and the API share."""

import heapq
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.http import Http404

from profiles.models import (
    AlternateAccount,
    FormerUsername,
    Person,
    PersonMerge,
    PersonQuerySet,
    Profile,
    SectionPreference,
)
from profiles.usernames import USERNAME_RE

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def person_by_username(username: str, *, platform: str = Person.DEFAULT_PLATFORM) -> Person:
    """The person (with profile) behind a URL's username (or a former username of theirs), or
    Http404. Pages that must show the current name compare `person.username` with the URL's."""
    username = (username or "").lower()
    if not USERNAME_RE.fullmatch(username):
        raise Http404("No such person.")
    try:
        return Person.objects.with_profile().get(username=username, platform=platform)
    except Person.DoesNotExist:
        pass
    # Old links keep working after a rename or a merge: a former name answers for its person.
    formerly = {"former_usernames__username": username, "former_usernames__platform": platform}
    person = Person.objects.with_profile().filter(**formerly).first()
    if person is None:
        raise Http404(f"Nobody called {username!r} has been seen.")
    return person


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

    - the count is taken once, over the union of the three parts' ids (username prefix, former
      username prefix, display name part), each read through its own index (trigram indexes on
      PostgreSQL), without joining the people table;
    - a page reads at most offset + limit people of each part, in username order, and merges
      them: no part is joined to another or read whole.

    The display-name part is read one of two ways. Left to itself PostgreSQL walks the username
    index and looks up each person's profile until it has a page, which is quick when matches
    are common and slow when they are rare (657 matches among 100,000: 8,000 look-ups and a
    parallel worker, 50 to 70 ms). So the matching profiles are read first, by the trigram index,
    up to NAME_MATCHES_READ of them: if that is all of them, the page is read by those keys
    (10 to 15 ms); if there are more, matches are common enough for the walk to find a page
    within a few thousand people.
    """

    ordered = True
    NAME_MATCHES_READ = 2000

    def __init__(self, text: str):
        # `>= text` is true of every match; it lets the username index start the page's scan
        # at the prefix instead of at "a".
        self.by_username = Person.objects.filter(username__gte=text, username__startswith=text)
        self.by_former = Person.objects.filter(
            former_usernames__username__gte=text, former_usernames__username__startswith=text
        ).distinct()
        self.by_name = Person.objects.filter(profile__display_name__icontains=text)
        self.name_matches = Profile.objects.filter(display_name__icontains=text).order_by()
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            ids = self.by_username.order_by().values("pk")
            ids = ids.union(self.by_former.order_by().values("pk"), self.by_name.order_by().values("pk"))
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
            list(part.with_profile().order_by("username")[:stop])
            for part in (self.by_username, self.by_former, self._by_name_read())
        ]
        seen: set = set()
        merged = []
        for person in heapq.merge(*halves, key=lambda person: person.username):
            if person.pk not in seen:
                seen.add(person.pk)
                merged.append(person)
        return merged[start:stop]

    def _by_name_read(self) -> PersonQuerySet:
        """The display-name part, as it is quickest to read a page of (see the class)."""
        ids = list(self.name_matches.values_list("person_id", flat=True)[: self.NAME_MATCHES_READ + 1])
        if len(ids) > self.NAME_MATCHES_READ:
            return self.by_name
        return Person.objects.filter(pk__any=ids)


def people_listed() -> PersonQuerySet:
    """Everyone, with their profile, by username: the directory before any filter."""
    return Person.objects.with_profile().order_by("username")


def people_sorted(people: PersonQuerySet, sort: str) -> PersonQuerySet:
    """`people` sorted by `sort` (a key of PEOPLE_SORTS, "-" first for descending; by username
    otherwise); people without a value come last either way."""
    key, descending = people_sort(sort)
    first, *rest = PEOPLE_SORTS[key]
    order = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
    return people.order_by(order, *rest)


def section_states(user: "AbstractBaseUser | AnonymousUser") -> dict[str, bool]:
    """{section key: is open} for the sections this user has opened or closed."""
    if not user.is_authenticated:
        return {}
    return dict(SectionPreference.objects.filter(user=user).values_list("section_key", "is_open"))


def former_usernames_of(person: Person) -> list[FormerUsername]:
    """The names the person went by before, the most recent first."""
    return list(
        FormerUsername.objects.filter(person=person).order_by("-used_until", "-created_at", "username")
    )


def alternates_of(person: Person) -> list[dict]:
    """The person's alternate accounts, by username: each {"person", "notes", "created_at"}
    (the other person with profile). One query."""
    links = (
        AlternateAccount.objects.filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a__profile", "person_b__profile")
        .order_by("created_at")
    )
    found = [
        {
            "person": link.person_b if link.person_a_id == person.pk else link.person_a,
            "notes": link.notes,
            "created_at": link.created_at,
        }
        for link in links
    ]
    return sorted(found, key=lambda entry: entry["person"].username)


def merges_into(person: Person) -> list[PersonMerge]:
    """The merges of other people into this one, newest first (without their snapshots)."""
    return list(
        PersonMerge.objects.filter(kept_person_id=person.pk)
        .defer("before", "after")
        .order_by("-merged_at", "-id")
    )


def person_merged_ids(person_id) -> list:
    """Ids of everyone merged (and not unmerged) into this person, directly or through a chain
    of merges: their history is the person's too."""
    found: list = []
    frontier = [person_id]
    while frontier:
        frontier = list(
            PersonMerge.objects.filter(kept_person_id__in=frontier, undone_at__isnull=True)
            .exclude(merged_person_id__in=[person_id, *found])
            .values_list("merged_person_id", flat=True)
        )
        found.extend(frontier)
    return found


def merge_undo_blockers(merge: PersonMerge) -> list[str]:
    """Why this merge cannot be undone now (nothing when it can): undone already, the kept person
    gone or merged away, the merged name taken, or anything changed since among the rows that
    refer to the kept person."""
    from profiles.merging.engine import rows_snapshot, snapshot_differences

    if merge.undone_at is not None:
        return ["it was undone already"]
    if not Person.objects.filter(pk=merge.kept_person_id).exists():
        return [f"{merge.kept_username} no longer exists (merged into someone else or removed)"]
    blockers = []
    if Person.objects.filter(username=merge.merged_username, platform=merge.platform).exists():
        blockers.append(f"somebody is called {merge.merged_username} now")
    later = PersonMerge.objects.filter(
        kept_person_id=merge.kept_person_id, undone_at__isnull=True, merged_at__gt=merge.merged_at
    )
    if later.exists():
        blockers.append("a later merge into the same person must be undone first")
    current = rows_snapshot([merge.kept_person_id])
    blockers += snapshot_differences(merge.after, current)
    return blockers


def people_by_usernames(usernames: list[str]) -> list[Person]:
    """The people with these (normalised) usernames, in the order given, in one query; Http404
    names any nobody has seen (bulk edits act on known people only, as a path naming nobody is
    a 404)."""
    found = {
        person.username: person
        for person in Person.objects.filter(username__in=usernames, platform=Person.DEFAULT_PLATFORM)
    }
    unknown = [username for username in usernames if username not in found]
    if unknown:
        raise Http404(f"Nobody called {', '.join(unknown)} has been seen.")
    return [found[username] for username in dict.fromkeys(usernames)]
