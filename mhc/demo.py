"""The demo data set a newcomer sees on first start, built from every app's `demo.py`.

Each app may have a `demo.py` with `load(demo: Demo) -> None` that adds its part (notes,
attributes, images …) for the people in `demo.people`. Loaders run in INSTALLED_APPS order
(`profiles` first, so the people exist), through the apps' services, and must be idempotent:
running the demo again changes nothing.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import transaction

from events.context import Actor, acting_as

if TYPE_CHECKING:  # mhc needs nothing from the apps it serves; the type is only for readers
    from profiles.models import Person


@dataclass
class Demo:
    people: dict[str, "Person"] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def load_demo() -> Demo:
    demo = Demo()
    with acting_as(Actor.command("load_demo")):  # the demo's events say the demo made them
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name == "mhc" or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).load(demo)
    return demo
