"""Pages: the people directory, the profile page and its sections one at a time."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from mhc.filters import chosen, filters_for_page
from profiles.directory import directory_actions, directory_columns, directory_filters
from profiles.filters import person_filterset
from profiles.home import home_panels
from profiles.models import Person
from profiles.sections import HeaderPart, PageContext, Section, header_parts, page_assets, sections
from profiles.selectors import PEOPLE_SORTS, people_sort, person_by_username, section_states

PEOPLE_PER_PAGE = 50


@dataclass(frozen=True)
class RenderedSection:
    section: Section
    is_open: bool
    body: SafeString  # empty while closed: the browser fetches it when the section is opened


def render_section_body(section: Section, page: PageContext) -> SafeString:
    context = {"person": page.person, "profile": page.profile, "section": section, **section.load(page)}
    return mark_safe(render_to_string(section.template, context, request=page.request))


def _render_header(parts: list[HeaderPart], page: PageContext) -> dict[str, list[SafeString]]:
    slots: dict[str, list[SafeString]] = {"avatar": [], "badges": [], "links": []}
    for part in parts:
        context = {"person": page.person, "profile": page.profile, **part.load(page)}
        html = render_to_string(part.template, context, request=page.request).strip()
        if html:
            slots[part.slot].append(mark_safe(html))
    return slots


@require_GET
def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = person_by_username(username)
    if person.username != username:
        # A former name: the page lives under the current one now. Not a permanent redirect,
        # which browsers cache: the name may pass to someone else (a rename, an undone merge).
        return redirect(person.get_absolute_url())
    page = PageContext(person=person, request=request)
    states = section_states(request.user)
    rendered = []
    for section in sections.all():
        is_open = states.get(section.key, section.default_open)
        body = render_section_body(section, page) if is_open else mark_safe("")
        rendered.append(RenderedSection(section=section, is_open=is_open, body=body))
    header = _render_header(header_parts.all(), page)
    stylesheets, scripts = page_assets()
    return render(
        request,
        "profiles/profile_detail.html",
        {
            "person": person,
            "profile": page.profile,
            "sections": rendered,
            "header": header,
            "avatar": header["avatar"][0] if header["avatar"] else None,
            "roles": Person.Role.choices,
            "stylesheets": stylesheets,
            "scripts": scripts,
        },
    )


@require_GET
def section_detail(request: HttpRequest, username: str, key: str) -> HttpResponse:
    """One section's body, for opening a closed section and refreshing one after an action."""
    section = sections.get(key)
    if section is None:
        raise Http404("No such section.")
    page = PageContext(person=person_by_username(username), request=request)
    return HttpResponse(render_section_body(section, page))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The owner's home page: every registered panel, each rendered from its own loader."""
    panels = []
    for panel in home_panels.all():
        body = render_to_string(panel.template, panel.load(request), request=request)
        panels.append((panel, mark_safe(body)))
    return render(request, "profiles/home.html", {"panels": panels})


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    filters = filters_for_page(person_filterset(), request.GET)
    sort_key, descending = people_sort(chosen(filters, "sort"))
    sort = f"-{sort_key}" if descending else sort_key
    active_filters = [(f, chosen(filters, f.key), f.choices()) for f in directory_filters.all()]
    page_obj = Paginator(filters.qs, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    columns = directory_columns.all()
    rows = [(person, []) for person in page_obj.object_list]
    for column in columns:
        values = column.load([person for person, _ in rows])
        for person, cells in rows:
            cells.append((column, values.get(person.id)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "profiles/person_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "columns": columns,
            "q": chosen(filters, "q"),
            "role": chosen(filters, "role"),
            "roles": Person.Role.choices,
            "filters": active_filters,
            "filtered": filters.is_filtered,
            "refused": filters.refused,
            "query": query.urlencode(),
            "sort": sort,
            "sort_links": _sort_links(request, sort_key, descending),
            "actions": directory_actions.all(),
            # Each bulk action's template reads its own names from the page's context.
            **{name: value for action in directory_actions.all() for name, value in action.load().items()},
        },
    )


def _sort_links(request: HttpRequest, sort_key: str, descending: bool) -> dict[str, dict]:
    """For each sortable column: the query that sorts by it (the other way round when it is the
    current sort) and its aria-sort state."""
    links = {}
    for key in PEOPLE_SORTS:
        query = request.GET.copy()
        query.pop("page", None)
        current = key == sort_key
        query["sort"] = key if (not current or descending) else f"-{key}"
        state = ("descending" if descending else "ascending") if current else "none"
        links[key] = {"query": query.urlencode(), "state": state}
    return links
