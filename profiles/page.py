"""The profile page's own sections: quick stats and the activity log."""

from profiles.activity import ActivityEvent, ActivitySource, activity_for, register_activity_source
from profiles.sections import PageContext, Section, register_section


def load_activity(page: PageContext) -> dict:
    return {"events": activity_for(page.person)}


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
            key="activity",
            title="Activity log",
            order=90,
            default_open=False,
            template="profiles/sections/activity.html",
            load=load_activity,
        )
    )
