"""The home page's "Recent activity" panel: the latest events about anyone."""

from events.selectors import events_recent
from profiles.home import HomePanel, register_home_panel

RECENT = 15


def register() -> None:
    register_home_panel(
        HomePanel(
            key="activity",
            title="Recent activity",
            order=10,
            template="events/home.html",
            load=lambda request: {"events": events_recent(limit=RECENT)},
            wide=True,
        )
    )
