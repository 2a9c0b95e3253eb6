"""The relationships part of the profile page: the Relationships section (the list, editable in
place, and the history viewer), a header badge for the owner's own relationship with the person
("My Dom ★★★")."""

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse

from profiles.directory import (
    DirectoryAction,
    DirectoryFilter,
    register_directory_action,
    register_directory_filter,
)
from profiles.marks import PersonMark, register_person_mark
from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section
from relationships.models import RelationshipType, Status, Tier
from relationships.rows import listed_by_items, relationship_rows
from relationships.selectors import (
    owner_related_ids,
    owner_relationship_by_person,
    owner_relationships_with,
    relationship_history,
    relationships_of,
    relationships_with,
)

RELATIONSHIPS_PER_PAGE = 50
HISTORY_PER_PAGE = 25
LISTED_BY_LIMIT = 50
# The columns the rows show (rows.py): whole rows of three tables, dates and all, cost more to
# load than the rows cost to format; whose profile it is the page already knows.
ROW_FIELDS = (
    *("type", "tier", "status", "notes", "started_at", "ended_at"),
    *("related_person__username", "related_person__profile__display_name"),
)
LISTED_BY_FIELDS = ("type", "tier", "status", "profile__person__username")


def load_section(page: PageContext) -> dict:
    if page.request.GET.get("tab") == "history":
        history = relationship_history(page.profile)
        return {
            "tab": "history",
            "history_page": Paginator(history, HISTORY_PER_PAGE).get_page(page.request.GET.get("page")),
        }
    found = (
        relationships_of(page.profile)
        .select_related(None)
        .select_related("related_person__profile")
        .only(*ROW_FIELDS)
    )
    relationships_page = Paginator(found, RELATIONSHIPS_PER_PAGE).get_page(page.request.GET.get("page"))
    username = page.person.username
    page_prefix = reverse("profile-detail", kwargs={"username": "_"}).removesuffix("_/")
    listed_by = list(relationships_with(page.person).only(*LISTED_BY_FIELDS)[:LISTED_BY_LIMIT])
    return {
        "tab": "list",
        "relationships_page": relationships_page,
        # Read only when the count says there is something to show (an empty page is not even
        # compiled); each row's API path is the list's plus "/<id>", reversed once a section.
        "relationship_rows": relationship_rows(
            relationships_page.object_list,
            api_prefix=reverse("api-profile-relationships", kwargs={"username": username}) + "/",
            page_prefix=page_prefix,
        )
        if relationships_page.paginator.count
        else "",
        "listed_by": listed_by,
        "listed_by_items": listed_by_items(listed_by, whom=username, page_prefix=page_prefix),
        "listed_by_limit": LISTED_BY_LIMIT,
        "types": RelationshipType.choices,
        "tiers": Tier.choices,
        "statuses": Status.choices,
    }


def load_header_badges(page: PageContext) -> dict:
    if page.person.username == settings.MHC_OWNER_USERNAME:
        return {"mine": []}
    return {"mine": owner_relationships_with(page.person)}


def register() -> None:
    register_section(
        Section(
            key="relationships",
            title="Relationships",
            order=40,
            default_open=False,
            template="relationships/section.html",
            assets=("relationships/relationships.css", "relationships/relationships.js"),
            load=load_section,
        )
    )
    register_header_part(
        HeaderPart(
            key="relationships",
            slot="badges",
            order=40,
            template="relationships/header_badges.html",
            assets=("relationships/relationships.css",),
            load=load_header_badges,
        )
    )
    register_directory_filter(
        DirectoryFilter(
            key="relationship",
            label="My relationship",
            order=30,
            choices=lambda: RelationshipType.choices,
            apply=lambda people, value: people.filter(pk__in=owner_related_ids(type=value)),
        )
    )
    register_directory_filter(
        DirectoryFilter(
            key="tier",
            label="Tier",
            order=31,
            choices=lambda: Tier.choices,
            apply=lambda people, value: people.filter(pk__in=owner_related_ids(tier=value)),
        )
    )
    register_directory_action(
        DirectoryAction(
            key="relationship",
            label="Add a relationship",
            order=40,
            template="relationships/directory_bulk.html",
            load=lambda: {"bulk_types": RelationshipType.choices, "bulk_tiers": Tier.choices},
        )
    )
    register_person_mark(PersonMark(key="relationship", order=40, load=owner_relationship_by_person))
