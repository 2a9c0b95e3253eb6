"""The attributes part of the activity log's "As of" tab."""

from attributes.selectors import attributes_as_of
from events.sections import AsOfPart, register_as_of


def register() -> None:
    register_as_of(
        AsOfPart(
            key="attributes",
            title="Attributes",
            order=20,
            template="attributes/_as_of.html",
            load=lambda person, moment: {"attributes": attributes_as_of(person, moment)},
        )
    )
