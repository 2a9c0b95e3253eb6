"""The profile page's own parts: quick stats, names and accounts (former usernames, alternate
accounts, merges), the rename and merge actions in the header, and the activity log."""

from profiles.activity import ActivityEvent, ActivitySource, activity_for, register_activity_source
from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section
from profiles.selectors import alternates_of, former_usernames_of, merges_into

IDENTITY_ASSETS = ("profiles/identity.css", "profiles/identity.js")


def load_activity(page: PageContext) -> dict:
    return {"events": activity_for(page.person)}


def _former_usernames(page: PageContext) -> list:
    return page.once("former-usernames", lambda: former_usernames_of(page.person))


def load_former_names(page: PageContext) -> dict:
    return {"former_usernames": _former_usernames(page)}


def load_identity(page: PageContext) -> dict:
    return {
        "former_usernames": _former_usernames(page),
        "alternates": alternates_of(page.person),
        "merges": merges_into(page.person),
    }


def person_events(person, limit: int) -> list[ActivityEvent]:
    return [ActivityEvent(at=person.first_seen_at, kind="seen", title="First seen")]


def register() -> None:
    register_activity_source(ActivitySource(key="profiles", fetch=person_events))
    register_section(
        Section(
            key="quick-stats", title="Quick stats", order=10, template="profiles/sections/quick_stats.html"
        )
    )
    register_section(
        Section(
            key="identity",
            title="Names and accounts",
            order=85,
            default_open=False,
            template="profiles/sections/identity.html",
            load=load_identity,
            assets=IDENTITY_ASSETS,
        )
    )
    register_header_part(
        HeaderPart(
            key="former-names",
            slot="badges",
            order=90,
            template="profiles/header_former_names.html",
            load=load_former_names,
        )
    )
    register_header_part(
        HeaderPart(
            key="identity-actions",
            slot="links",
            order=90,
            template="profiles/header_identity_actions.html",
            assets=IDENTITY_ASSETS,
        )
    )
    register_section(
        Section(
            key="activity",
            title="Activity log",
            order=90,
            default_open=False,
            template="profiles/sections/activity.html",
            load=load_activity,
        )
    )
