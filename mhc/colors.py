"""Named colours the app uses: attribute colours, note categories, and a stable colour per user.

Names are Tailwind's colour names; the hex values are Tailwind's 400 shades, chosen because they
read well on the app's dark background (the `tone-<name>` CSS classes use the same values).
"""

import hashlib

TONES: dict[str, str] = {
    "gray": "#9ca3af",
    "red": "#f87171",
    "orange": "#fb923c",
    "amber": "#fbbf24",
    "yellow": "#facc15",
    "lime": "#a3e635",
    "green": "#4ade80",
    "emerald": "#34d399",
    "teal": "#2dd4bf",
    "cyan": "#22d3ee",
    "sky": "#38bdf8",
    "blue": "#60a5fa",
    "indigo": "#818cf8",
    "violet": "#a78bfa",
    "purple": "#c084fc",
    "fuchsia": "#e879f9",
    "pink": "#f472b6",
    "rose": "#fb7185",
}
TONE_CHOICES = [(name, name.capitalize()) for name in TONES]

# Colours for usernames: every tone but gray, so no user looks like a system line.
USER_TONES: tuple[str, ...] = tuple(name for name in TONES if name != "gray")


def tone_for(username: str) -> str:
    """The tone name of a username: the same in every log, on every page, on every run."""
    digest = hashlib.sha256(username.strip().lower().encode()).digest()
    return USER_TONES[int.from_bytes(digest[:4], "big") % len(USER_TONES)]


def color_for(username: str) -> str:
    """The hex colour of a username (see `tone_for`)."""
    return TONES[tone_for(username)]
