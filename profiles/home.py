"""The owner's home page (`/`): panels that apps register, as they register profile sections.

A **HomePanel** has a title, an order, a template and a loader `load(request) -> dict` that
reads what the panel shows in a constant number of queries. `profiles` renders the panels it
is given; it knows none of the apps behind them.

Order on the page: recent activity 10 · watch list 20 · seen lately 30 · latest notes 40 ·
library health 50.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from profiles.models import Person
from profiles.registry import Registry

SEEN_LATELY = 12


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: str
    order: int
    template: str
    load: Callable[[HttpRequest], dict] = field(compare=False)
    wide: bool = False  # spans the page's two columns


home_panels: Registry[HomePanel] = Registry("home panel")


def register_home_panel(panel: HomePanel) -> HomePanel:
    return home_panels.register(panel)


def seen_lately(request: HttpRequest) -> dict:
    return {"people": list(Person.objects.with_profile().order_by("-last_seen_at", "username")[:SEEN_LATELY])}


def register() -> None:
    register_home_panel(
        HomePanel(
            key="seen", title="Seen lately", order=30, template="profiles/home/seen.html", load=seen_lately
        )
    )
