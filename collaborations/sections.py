"""The Collaborators section of the profile page."""

from django.urls import reverse

from collaborations.selectors import collaborators_of
from profiles.sections import PageContext, Section, register_section


def load(page: PageContext) -> dict:
    return {
        "collaborators": collaborators_of(page.person),
        # One collaborator's API path is this plus "/<username>" (reversed once, not per row).
        "api_url": reverse("api-collaborations", kwargs={"username": page.person.username}),
    }


def register() -> None:
    register_section(
        Section(
            key="collaborators",
            title="Collaborators",
            order=50,
            default_open=False,
            template="collaborations/section.html",
            assets=("collaborations/collaborations.css", "collaborations/collaborations.js"),
            load=load,
        )
    )
