"""The profile page's own parts: quick stats, names and accounts (former usernames, alternate
accounts, merges) and the rename and merge actions in the header. (The activity log is the
events app's.)"""

from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section
from profiles.selectors import alternates_of, former_usernames_of, merges_into

IDENTITY_ASSETS = ("profiles/identity.css", "profiles/identity.js")


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


def register() -> None:
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
