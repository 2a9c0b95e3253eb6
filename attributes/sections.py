"""The attributes app's parts of the profile page (header badges, the Attributes section) and
of the people directory; `register()` is called from `AppConfig.ready()`."""

from django.core.paginator import Paginator
from django.urls import reverse

from attributes.models import AttributeDefinition
from attributes.selectors import (
    badges_and_checkboxes,
    badges_by_person,
    definitions,
    history_of,
    people_with,
    recent_changes,
)
from attributes.toggles import toggle_items
from profiles.directory import (
    DirectoryAction,
    DirectoryFilter,
    register_directory_action,
    register_directory_filter,
)
from profiles.marks import PersonMark, register_person_mark
from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section

HISTORY_PAGE_SIZE = 25


def _badges_and_checkboxes(page: PageContext) -> tuple[list[AttributeDefinition], list[AttributeDefinition]]:
    """`badges_and_checkboxes(person)`, read once a page: the header shows the set badges and
    the open Attributes section all of them."""
    return page.once("attributes", lambda: badges_and_checkboxes(page.person))


def load_header(page: PageContext) -> dict:
    badges, _ = _badges_and_checkboxes(page)
    return {"badges": [badge for badge in badges if badge.value]}


def load_section(page: PageContext) -> dict:
    """Checkboxes and badges with their last changes (for the tooltips); the full history only
    once the user opens it (`?history=<page>`). A refresh by htmx also brings the header badges."""
    badges, checkboxes = _badges_and_checkboxes(page)
    recent = recent_changes(page.person)
    for attribute in (*badges, *checkboxes):
        attribute.recent = recent.get(attribute.key, [])
    history_page = page.request.GET.get("history")
    return {
        "badges": badges,
        "checkboxes": checkboxes,
        "badge_items": toggle_items(badges),
        "checkbox_items": toggle_items(checkboxes),
        "set_badges": [badge for badge in badges if badge.value],
        "refresh_header": page.request.headers.get("HX-Request") == "true",
        "history": Paginator(history_of(page.person), HISTORY_PAGE_SIZE).get_page(history_page)
        if history_page
        else None,
        "api_url": reverse("api-person-attributes", kwargs={"username": page.person.username}),
    }


def register() -> None:
    register_header_part(
        HeaderPart(
            key="attributes",
            slot="badges",
            order=20,
            template="attributes/header_badges.html",
            assets=("attributes/attributes.css",),
            load=load_header,
        )
    )
    register_section(
        Section(
            key="attributes",
            title="Attributes",
            order=20,
            template="attributes/section.html",
            assets=("attributes/attributes.css", "attributes/attributes.js"),
            load=load_section,
        )
    )
    register_directory_action(
        DirectoryAction(
            key="attribute",
            label="Set or clear an attribute",
            order=20,
            template="attributes/directory_bulk.html",
            load=lambda: {"bulk_definitions": [item for item in definitions() if not item.is_auto_derived]},
        )
    )
    register_directory_filter(
        DirectoryFilter(
            key="attribute",
            label="Attribute",
            order=20,
            choices=lambda: [(attribute.key, attribute.label) for attribute in definitions()],
            apply=people_with,
        )
    )
    register_person_mark(PersonMark(key="badges", order=20, load=badges_by_person))
