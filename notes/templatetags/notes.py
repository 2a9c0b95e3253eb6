"""Template helpers of the notes: `{% load notes %}`."""

from django import template

from notes.formatting import chat_line_count as _chat_line_count

register = template.Library()


@register.filter
def chat_line_count(formatted_content: str) -> int:
    """`{{ note.formatted_content|chat_line_count }}` → how many rows a stored chat log has."""
    return _chat_line_count(formatted_content or "")
