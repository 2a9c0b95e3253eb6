"""The rows of the Activity log and of the home page's recent activity, formatted here rather
than by the template engine, which spent half the section's time on a page of 25 events (two
date filters, an undo button and a dozen variables a row) and reversed a URL for each row of the
home page. The markup is the same, byte for byte, as the templates' loops gave."""

from collections.abc import Container, Iterable

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from events.models import Event

ROW = (
    '\n  <li data-kind="{kind}" data-event="{id}">\n'
    '    <time datetime="{iso}" title="{full}">{short}</time>\n'
    '    <span class="pill tone-gray">{group}</span>\n'
    '    <span class="grow">\n'
    "      {summary}{undo_pill}\n"
    '      <span class="muted small">· by {actor}</span>\n'
    "      {why}\n"
    "    </span>\n"
    "    {action}\n"
    "  </li>\n"
    "  "
)
UNDO_PILL = mark_safe(' <span class="pill tone-amber small">undo</span>')
UNDONE = mark_safe('<span class="muted small">undone</span>\n    ')
UNDO_BUTTON = (
    '<button class="btn btn-small" type="button"\n'
    '        data-api-action data-method="POST" data-url="/api/events/{id}/undo"\n'
    '        data-confirm="Undo this change? {summary}" data-success="Change undone."\n'
    '        data-refresh-section="activity attributes relationships notes collaborators quick-stats"\n'
    '        data-refresh-page="#profile-header #edit-profile">Undo</button>'
)


def _action(event: Event, undoable: Container[int]) -> SafeString | str:
    if getattr(event, "is_undone", False):
        return UNDONE
    if event.id in undoable:
        return format_html(UNDO_BUTTON, id=event.id, summary=event.summary)
    return ""


def _fields(event: Event, undoable: Container[int]) -> dict:
    local = timezone.localtime(event.at)
    return {
        "kind": event.kind,
        "id": event.id,
        "iso": event.at.isoformat(),
        "full": local.strftime("%Y-%m-%d %H:%M:%S"),
        "short": local.strftime("%Y-%m-%d %H:%M"),
        "group": event.group,
        "summary": event.summary,
        "undo_pill": UNDO_PILL if event.undoes_id else "",
        "actor": event.actor_label,
        "why": format_html('<span class="why small">why: {}</span>', event.why) if event.why else "",
        "action": _action(event, undoable),
    }


def event_rows(events: Iterable[Event], undoable: Container[int]) -> SafeString:
    """The `<li>` of each event of a page of the log, as the section's list shows them."""
    return format_html_join("", ROW, (_fields(event, undoable) for event in events))


RECENT_ROW = (
    '\n  <li data-kind="{kind}">\n'
    '    <time datetime="{iso}" title="{full}">{ago}</time>\n'
    '    <span class="pill tone-gray">{group}</span>\n'
    '    <span class="grow">{subject}\n'
    '      <span class="muted small">· by {actor}</span>\n'
    "      {why}{undone}</span>\n"
    "  </li>"
)
RECENT_UNDONE = mark_safe(' <span class="muted small">(undone)</span>')


def _recent_fields(event: Event, page_prefix: str) -> dict:
    subject = (
        format_html('<a href="{}{}/#section-activity">{}</a>', page_prefix, event.username, event.summary)
        if event.username
        else event.summary
    )
    return {
        "kind": event.kind,
        "iso": event.at.isoformat(),
        "full": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        "ago": naturaltime(event.at),
        "group": event.group,
        "subject": subject,
        "actor": event.actor_label,
        "why": format_html('<span class="muted small">· why: {}</span>', event.why) if event.why else "",
        "undone": RECENT_UNDONE if getattr(event, "is_undone", False) else "",
    }


def recent_rows(events: Iterable[Event]) -> SafeString:
    """The `<li>` of each event of the home page's "Recent activity", linked to the person's log
    (their page's path reversed once, not once a row)."""
    page_prefix = reverse("profile-detail", kwargs={"username": "_"}).removesuffix("_/")
    return format_html_join("", RECENT_ROW, (_recent_fields(event, page_prefix) for event in events))
