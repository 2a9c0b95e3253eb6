"""The home page's "Watch list" panel: the people with the `watch_list` attribute set."""

from attributes.selectors import people_with_attribute
from profiles.home import HomePanel, register_home_panel

WATCH_LIST = "watch_list"


def load(request) -> dict:
    rows, total = people_with_attribute(WATCH_LIST)
    return {"rows": rows, "total": total, "key": WATCH_LIST}


def register() -> None:
    register_home_panel(
        HomePanel(key="watch-list", title="Watch list", order=20, template="attributes/home.html", load=load)
    )
