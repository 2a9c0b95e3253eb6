"""The read-only "From the original" section of the profile page: what the original MHC Control
Panel knew about the person that none of our fields holds (rating, friend tier, IRL name,
follow tracking …), and how many of their rows were kept aside."""

from legacy.selectors import legacy_profile_of
from profiles.sections import PageContext, Section, register_section


def load(page: PageContext) -> dict:
    return {"legacy": legacy_profile_of(page.person)}


def register() -> None:
    register_section(
        Section(
            key="from-the-original",
            title="From the original",
            order=85,
            default_open=False,
            template="legacy/section.html",
            load=load,
        )
    )
