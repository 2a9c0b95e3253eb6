"""The relationships part of the activity log's "As of" tab."""

from events.sections import AsOfPart, register_as_of
from relationships.selectors import relationships_as_of


def register() -> None:
    register_as_of(
        AsOfPart(
            key="relationships",
            title="Relationships",
            order=40,
            template="relationships/_as_of.html",
            load=lambda person, moment: {"relationships": relationships_as_of(person, moment)},
        )
    )
