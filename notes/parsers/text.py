"""Helpers both paste parsers use: making a browser's copy plain, and reading token amounts."""

import re

# What a browser's copy puts where a plain space was typed: tabs, no-break and narrow spaces, and
# the invisible marks some sites insert to stop words joining.
_SPACES = {"\t": " ", "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u3000": " "}
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")

NAME = r"[A-Za-z0-9_]{1,64}"  # a username as it appears in a room (stored lower-case)
BADGE = r"\|\d{1,4}\|"  # a user's rating badge, e.g. |100|
# A whole number of tokens with an optional thousands separator, at most 999,999,999.
TOKENS = r"(?P<tokens>\d{1,3}(?:,\d{3}){1,2}|\d{1,9})(?!\d)\s*(?:tokens?|tks?)\b"


def plain_text(text: str) -> str:
    """`text` with tabs and the no-break spaces of a copy made plain spaces, zero-width marks
    removed. Each kind is looked for first: most pastes have none, and `in` is cheaper than a
    copy of a megabyte."""
    for char, space in _SPACES.items():
        if char in text:
            text = text.replace(char, space)
    for char in _INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    return text


def whole_number(text: str) -> int:
    """`text` ("1,000", "1.500", "250") as an int."""
    return int(text.replace(",", "").replace(".", ""))


_SPACE_RUN = re.compile(r"\s{2,}")


def squeeze(text: str) -> str:
    """`text` with every run of spaces made one."""
    return _SPACE_RUN.sub(" ", text) if "  " in text else text
