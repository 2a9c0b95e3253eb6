"""The Collaborators section of the profile page."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from collaborations.selectors import Collaborator, collaborators_of
from mhc.colors import tone_for
from profiles.sections import PageContext, Section, register_section

# One collaborator's row. The section can list hundreds; rendered by the template engine, their
# rows cost twenty times the section's SQL, formatted here they cost less than the SQL.
ROW = (
    '<li data-username="{username}">\n'
    '    <span class="swatch tone-{tone}" aria-hidden="true"></span>\n'
    '    <a class="toned tone-{tone}" href="{prefix}{username}/">{username}</a>\n'
    "    {display_name}\n"
    '    <span class="grow small">{notes}</span>\n'
    '    <span class="muted small nowrap">first seen '
    '<time datetime="{first_seen}">{first_seen_day}</time></span>\n'
    '    <button class="btn btn-icon" type="button" title="Remove" aria-label="Remove {username}"\n'
    '            data-api-action data-method="DELETE" data-url="{api_url}/{username}"\n'
    '            data-confirm="Remove {username} from {owner}\'s collaborators?"\n'
    '            data-refresh-section="collaborators activity">&times;</button>\n'
    "  </li>\n"
)
DISPLAY_NAME = '<span class="muted">{}</span>'


def collaborator_rows(
    collaborators: list[Collaborator], *, owner: str, api_url: str, prefix: str
) -> SafeString:
    """The rows of the Collaborators list, every value escaped."""
    return format_html_join(
        "  ",
        ROW,
        (
            {
                "username": row.username,
                "tone": tone_for(row.username),
                "prefix": prefix,
                "display_name": format_html(DISPLAY_NAME, row.display_name) if row.display_name else "",
                "notes": row.notes,
                "first_seen": row.first_seen_at.isoformat(),
                "first_seen_day": row.first_seen_at.strftime("%Y-%m-%d"),
                "api_url": api_url,
                "owner": owner,
            }
            for row in collaborators
        ),
    )


def load(page: PageContext) -> dict:
    collaborators = collaborators_of(page.person)
    api_url = reverse("api-collaborations", kwargs={"username": page.person.username})
    prefix = reverse("profile-detail", kwargs={"username": "_"}).removesuffix("_/")
    return {
        "collaborators": collaborators,
        # One collaborator's API path is `api_url` plus "/<username>", and their page `prefix`
        # plus "<username>/": reversed once, not per row (500 reversals were a sixth of the section).
        "rows": collaborator_rows(collaborators, owner=page.person.username, api_url=api_url, prefix=prefix),
        "api_url": api_url,
        "graph_api_url": reverse("api-collaboration-graph", kwargs={"username": page.person.username}),
    }


def register() -> None:
    register_section(
        Section(
            key="collaborators",
            title="Collaborators",
            order=50,
            default_open=False,
            template="collaborations/section.html",
            assets=(
                "collaborations/collaborations.css",
                "collaborations/collaborations.js",
                "collaborations/graph.js",
                "collaborations/graph.css",
            ),
            load=load,
        )
    )
