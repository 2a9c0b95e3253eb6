"""The rows of the Relationships section's table, formatted here rather than by the template
engine: a page of 50 rows, each with two selects and three star buttons, cost the engine about
30 ms, seven times the section's SQL. The option lists and star buttons depend only on the
row's type, status and tier, so each variant is formatted once per process."""

from functools import cache

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from mhc.colors import tone_for
from relationships.models import (
    MAX_STARS,
    STARS_TO_TIERS,
    TIER_STARS,
    Relationship,
    RelationshipType,
    Status,
    Tier,
)

ROW = (
    '<tr data-relationship="{username}:{type}">\n'
    '      <td class="nowrap">\n'
    '        <a class="toned tone-{person_tone}" href="{page_prefix}{username}/">{username}</a>\n'
    "        {display_name}\n"
    "      </td>\n"
    "      <td>\n"
    '        <select class="inline-select tone-{type_tone}" name="type" data-patch-url="{url}" '
    'data-refresh-section="relationships"\n'
    '                aria-label="Type of {username}">\n'
    "          {type_options}\n"
    "        </select>\n"
    "      </td>\n"
    '      <td class="nowrap">\n'
    '        <span class="stars" role="group" aria-label="Tier of {username} as {type_label}">\n'
    "          {stars}\n"
    "        </span>\n"
    "      </td>\n"
    "      <td>\n"
    '        <select class="inline-select tone-{status_tone}" name="status" data-patch-url="{url}" '
    'data-refresh-section="relationships"\n'
    '                aria-label="Status of {username} as {type_label}">\n'
    "          {status_options}\n"
    "        </select>\n"
    "      </td>\n"
    '      <td class="nowrap small">{dates}</td>\n'
    '      <td class="small relationship-notes">{notes}</td>\n'
    '      <td class="num">\n'
    '        <button type="button" class="btn btn-icon" aria-label="Remove {username} as {type_label}"\n'
    '                title="Remove" data-api-action data-method="DELETE" data-url="{url}"\n'
    '                data-confirm="Remove {username} as {type_label}? The history keeps a record of it."\n'
    '                data-refresh-section="relationships">✕</button>\n'
    "      </td>\n"
    "    </tr>\n"
)
TYPE_LABELS = dict(RelationshipType.choices)  # get_type_display() without its per-call lookups
TIER_LABELS = dict(Tier.choices)
STATUS_LABELS = dict(Status.choices)
NO_DATE = mark_safe('<span class="muted">\N{EM DASH}</span>')
STAR = (
    '<button type="button" class="star{on}" title="{label}{closest}"\n'
    '                  aria-label="{label}" aria-pressed="{pressed}"\n'
    '                  data-api-action data-method="PATCH" data-url="{url}" '
    'data-body=\'{{"tier": "{tier}"}}\'\n'
    '                  data-refresh-section="relationships">★</button>'
)


@cache
def _options(choices: tuple[tuple[str, str], ...], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


# Stands for a row's API path in the star buttons, formatted once per tier (see `_stars`).
URL_SLOT = "\x00url\x00"


@cache
def _stars_of_tier(tier: str) -> str:
    stars = TIER_STARS[tier]
    return format_html_join(
        "\n          ",
        STAR,
        (
            {
                "on": " on" if count <= stars else "",
                "label": choice.label,
                "closest": " (closest)" if count == MAX_STARS else "",
                "pressed": "true" if choice == tier else "false",
                "url": URL_SLOT,
                "tier": choice.value,
            }
            for count, choice in STARS_TO_TIERS
        ),
    )


def _stars(tier: str, url: str) -> SafeString:
    """The three star buttons of a row: its tier's, formatted once, with the row's path escaped."""
    return mark_safe(_stars_of_tier(tier).replace(URL_SLOT, escape(url)))


def _dates(relationship: Relationship) -> str:
    """The start date, the start and end dates, or a muted dash when the start is unknown."""
    started, ended = relationship.started_at, relationship.ended_at
    if not started:
        return NO_DATE
    return f"{started:%Y-%m-%d} \N{EN DASH} {ended:%Y-%m-%d}" if ended else f"{started:%Y-%m-%d}"


def relationship_rows(relationships, *, api_prefix: str, page_prefix: str) -> SafeString:
    """The table rows of these relationships (with their related people and profiles loaded),
    every value escaped. A relationship's API path is `api_prefix` plus its id, a person's page
    `page_prefix` plus "<username>/"."""
    types = tuple(RelationshipType.choices)
    statuses = tuple(Status.choices)
    rows = []
    for relationship in relationships:
        person = relationship.related_person
        url = f"{api_prefix}{relationship.pk}"
        display_name = person.profile.display_name if hasattr(person, "profile") else ""
        rows.append(
            {
                "username": person.username,
                "type": relationship.type,
                "person_tone": tone_for(person.username),
                "page_prefix": page_prefix,
                "display_name": format_html('<div class="muted small">{}</div>', display_name)
                if display_name
                else "",
                "type_tone": relationship.tone,
                "url": url,
                "type_options": _options(types, relationship.type),
                "type_label": TYPE_LABELS.get(relationship.type, relationship.type),
                "stars": _stars(relationship.tier, url),
                "status_tone": relationship.status_tone,
                "status_options": _options(statuses, relationship.status),
                "dates": _dates(relationship),
                "notes": relationship.notes or "",
            }
        )
    return format_html_join("    ", ROW, rows)


LISTED_BY = (
    "\n"
    "  <li>\n"
    '    <a class="toned tone-{tone}" href="{page_prefix}{username}/">{username}</a>\n'
    '    <span class="muted">has {whom} as</span>\n'
    '    <span class="pill tone-{type_tone}">{type_label}</span>\n'
    '    <span class="stars" title="{tier_label}"><span class="on">{stars}</span>{missing_stars}</span>\n'
    '    <span class="pill tone-{status_tone}">{status_label}</span>\n'
    "  </li>\n"
    "  "
)


def listed_by_items(relationships, *, whom: str, page_prefix: str) -> SafeString:
    """The <li> items of relationships other profiles have with `whom` (with their profiles'
    people loaded), every value escaped; a person's page is `page_prefix` plus "<username>/"."""
    items = []
    for relationship in relationships:
        username = relationship.profile.person.username
        items.append(
            {
                "tone": tone_for(username),
                "page_prefix": page_prefix,
                "username": username,
                "whom": whom,
                "type_tone": relationship.tone,
                "type_label": TYPE_LABELS.get(relationship.type, relationship.type),
                "tier_label": TIER_LABELS.get(relationship.tier, relationship.tier),
                "stars": relationship.stars_text,
                "missing_stars": relationship.missing_stars_text,
                "status_tone": relationship.status_tone,
                "status_label": STATUS_LABELS.get(relationship.status, relationship.status),
            }
        )
    return format_html_join("", LISTED_BY, items)
