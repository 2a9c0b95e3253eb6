"""Template helpers every app's templates use: `{% load mhc %}`."""

from django import template
from django.http import QueryDict

from mhc.colors import tone_for as _tone_for

register = template.Library()


@register.filter
def tone_for(username: str) -> str:
    """`{{ person.username|tone_for }}` → the user's stable tone name (for `tone-<name>` classes)."""
    return _tone_for(username or "")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced: `?{% query_with page=2 %}`."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
