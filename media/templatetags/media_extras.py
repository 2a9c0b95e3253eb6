"""Template helpers of the media app's sections: `{% load media_extras %}`."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_hm(value: timedelta | None) -> str:
    """A length of time as "2 h 05 min" (or "45 min")."""
    if value is None:
        return "—"
    minutes = max(int(value.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
