"""The home page's "Latest notes" panel."""

from notes.selectors import latest_notes_anywhere
from profiles.home import HomePanel, register_home_panel


def register() -> None:
    register_home_panel(
        HomePanel(
            key="notes",
            title="Latest notes",
            order=40,
            template="notes/home.html",
            load=lambda request: {"notes": latest_notes_anywhere()},
        )
    )
