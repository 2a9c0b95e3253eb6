"""The home page's "Recent activity" panel: the latest events about anyone."""

from events.rows import recent_rows
from events.selectors import events_recent
from profiles.home import HomePanel, register_home_panel

RECENT = 15


def load(request) -> dict:
    events = events_recent(limit=RECENT)
    return {"events": events, "rows": recent_rows(events)}


def register() -> None:
    register_home_panel(
        HomePanel(
            key="activity",
            title="Recent activity",
            order=10,
            template="events/home.html",
            load=load,
            wide=True,
        )
    )
