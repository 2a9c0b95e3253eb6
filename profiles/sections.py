"""The registry the profile page is built from.

`profiles` knows none of the domain apps. Each app plugs its parts of the page in from its
`AppConfig.ready()`:

- a **Section** is a collapsible block of the page (its title, order, whether it starts open,
  the partial template that renders its body, and a loader that returns the template's context);
- a **HeaderPart** is something shown in the page header: in the `avatar` slot (the first one
  that renders anything wins; it sits in `#profile-avatar`, so a section can refresh it with an
  htmx out-of-band swap, falling back to `profiles/_avatar_fallback.html`), the `badges` row or
  the `links` row.

A part's own static files go in `assets` (e.g. `("notes/notes.css", "notes/notes.js")`): the page
links them once in its <head>; templates of sections never include <link> or <script> tags.

Loaders receive a `PageContext` (the person, their profile or None, and the request) and return
a dict for the template. They run only for sections that are open; a closed section's body is
fetched from `/profile/<username>/sections/<key>/` when the user opens it, and the same URL
re-renders a section in place after an in-page action (see `mhc.refreshSection` in app.js).

Section order on the page (leave gaps so new sections fit between):
quick stats 10 · attributes 20 · notes 30 · relationships 40 · collaborators 50 · images 60 ·
broadcast history 70 · activity log 90.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from profiles.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from profiles.models import Person, Profile


@dataclass(frozen=True)
class PageContext:
    """What every loader is given: whose page it is, and who is looking."""

    person: "Person"
    request: "HttpRequest"
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def profile(self) -> "Profile | None":
        return getattr(self.person, "profile", None)

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """`read()` the first time `key` is asked for on this page, its result after that: for
        what the header and a section both show (a full page builds both from one context)."""
        if key not in self._read:
            self._read[key] = read()
        return self._read[key]


Loader = Callable[[PageContext], dict]


def _no_context(page: PageContext) -> dict:
    return {}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    template: str
    default_open: bool = True
    load: Loader = field(default=_no_context, compare=False)
    assets: tuple[str, ...] = ()  # static paths (.css, .js) the page loads once, in its <head>


@dataclass(frozen=True)
class HeaderPart:
    key: str
    slot: Literal["avatar", "badges", "links"]
    order: int
    template: str
    load: Loader = field(default=_no_context, compare=False)
    assets: tuple[str, ...] = ()


def page_assets() -> tuple[list[str], list[str]]:
    """(stylesheets, scripts) every registered part needs, each once, in registration order.

    The page loads them all up front, whether a section is open or not: a section opened or
    re-rendered later finds its styles and its (document-level) listeners already there.
    """
    paths = dict.fromkeys(path for part in [*sections.all(), *header_parts.all()] for path in part.assets)
    return [p for p in paths if p.endswith(".css")], [p for p in paths if p.endswith(".js")]


sections: Registry[Section] = Registry("section")
header_parts: Registry[HeaderPart] = Registry("header part")


def register_section(section: Section) -> Section:
    return sections.register(section)


def register_header_part(part: HeaderPart) -> HeaderPart:
    return header_parts.register(part)
