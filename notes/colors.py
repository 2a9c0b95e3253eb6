"""The colours usernames take in chat logs.

Twenty-six light tints spread round the colour wheel, every one well above WCAG's 4.5:1 contrast
on the page's dark background, and none between orange and yellow: that family (amber) marks
tips. Neighbours alternate between a stronger and a paler tint so that close hues still tell
apart. A username's colour is chosen from a hash of its lower-cased name (as `mhc.colors.tone_for`
does for tones), so it is the same in every log, on every page and on every run. The CSS classes
`chat-c<N>` in notes.css hold the same values.
"""

import hashlib
from functools import lru_cache

CHAT_COLORS: tuple[str, ...] = (
    "#c7f075",  # hue 80
    "#caf0a8",  # hue 92
    "#97f075",  # hue 104
    "#aef0a8",  # hue 115
    "#75f084",  # hue 127
    "#a8f0bf",  # hue 139
    "#75f0b4",  # hue 151
    "#a8f0db",  # hue 163
    "#75f0e4",  # hue 174
    "#a8e8f0",  # hue 186
    "#75cbf0",  # hue 198
    "#a8ccf0",  # hue 210
    "#759bf0",  # hue 222
    "#a8b0f0",  # hue 233
    "#8075f0",  # hue 245
    "#bda8f0",  # hue 257
    "#b075f0",  # hue 269
    "#d9a8f0",  # hue 281
    "#e075f0",  # hue 292
    "#f0a8eb",  # hue 304
    "#f075cf",  # hue 316
    "#f0a8cf",  # hue 328
    "#f0759f",  # hue 340
    "#f0a8b3",  # hue 351
    "#f07c75",  # hue 3
    "#f0baa8",  # hue 15
)


@lru_cache(maxsize=4096)
def chat_color_index(username: str) -> int:
    """The index in CHAT_COLORS of a username's colour."""
    digest = hashlib.sha256(username.strip().lower().encode()).digest()
    return int.from_bytes(digest[:4], "big") % len(CHAT_COLORS)


def chat_color(username: str) -> str:
    """The hex colour of a username in chat logs ("" for no username)."""
    return CHAT_COLORS[chat_color_index(username)] if username else ""
