"""The Collaborators section of the profile page and the collaborations in its activity log."""

from django.urls import reverse

from collaborations.selectors import collaborators_of, latest_collaborations_of
from profiles.activity import ActivityEvent, ActivitySource, register_activity_source
from profiles.models import Person
from profiles.sections import PageContext, Section, register_section


def load(page: PageContext) -> dict:
    return {
        "collaborators": collaborators_of(page.person),
        # One collaborator's API path is this plus "/<username>" (reversed once, not per row).
        "api_url": reverse("api-collaborations", kwargs={"username": page.person.username}),
        "graph_api_url": reverse("api-collaboration-graph", kwargs={"username": page.person.username}),
    }


def activity(person: Person, limit: int) -> list[ActivityEvent]:
    events = []
    for collaboration in latest_collaborations_of(person, limit=limit):
        other = collaboration.collaborator_of(person)
        events.append(
            ActivityEvent(
                at=collaboration.created_at,
                kind="collaboration",
                title=f"Collaborator added: {other.username}",
                detail=collaboration.notes,
                url=other.get_absolute_url(),
            )
        )
    return events


def register() -> None:
    register_section(
        Section(
            key="collaborators",
            title="Collaborators",
            order=50,
            default_open=False,
            template="collaborations/section.html",
            assets=(
                "collaborations/collaborations.js",
                "collaborations/graph.js",
                "collaborations/graph.css",
            ),
            load=load,
        )
    )
    register_activity_source(ActivitySource(key="collaborations", fetch=activity))
