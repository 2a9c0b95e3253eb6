"""The parser of broadcasters' tip menus, and what changed between two of them.

A pure function from text to small immutable records; no HTML (see `notes.formatting`). Written
for menus as they come out of a browser's copy: emoji and bullets around items, prices before or
after the name, in brackets or not, with or without a unit, several items on one line, and lines
around that carry numbers without being items (toy levels, goals, ages, dates, times, prose).
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from notes.parsers.text import plain_text, squeeze, whole_number

_NUMBER = r"(?:\d{1,3}(?:[,.]\d{3}){1,2}|\d{1,7})(?![,.]?\d)"  # a whole number, up to 9,999,999
_UNIT = r"(?:tokens?|tkns?|tks?)\.?"
_PER_MINUTE = r"(?:\s*(?:/|per)\s*min(?:ute)?\.?)?"
_AMOUNT = (
    rf"(?P<low>{_NUMBER})(?:[-\u2013\u2014](?P<high>{_NUMBER}))?\s*(?P<unit>{_UNIT})?(?P<per>{_PER_MINUTE})"
)

# "Item (100)", "Item [100 tk]"
_PRICE_IN_BRACKETS = re.compile(rf"^(?P<item>.+?)\s*[(\[{{]\s*{_AMOUNT}\s*[)\]}}]$", re.IGNORECASE)
# "Item - 100 tokens", "Item: 100", "Item | 100", "Item ➜ 100tk", "Item 100": the price ends the line.
_PRICE_AFTER = re.compile(rf"(?<![\d,.]){_AMOUNT}$", re.IGNORECASE)
# "100 - Item", "100tk Item", "100 tokens: Item", "[100] Item"
_PRICE_BEFORE = re.compile(
    rf"^(?P<open>[(\[{{]\s*)?{_AMOUNT}(?(open)\s*[)\]}}])(?P<sep>[^\w]*)(?P<item>.*\w.*)$", re.IGNORECASE
)
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")

# Lines with numbers that are not items: toy levels (a level word or a toy next to "15+" or
# "1-14"), and goals. Each expression runs only on lines that hold one of its words (_needs).
_LEVEL = re.compile(r"\b(?:low|med|medium|high|ultra|max|level|lvl)\b|vib|lovense|\blush\b|\bdomi\b|\bnora\b")
_THRESHOLD = re.compile(r"\d\s*\+|\d\s*[-\u2013\u2014~]\s*\d")
_GOAL = re.compile(r"\bgoals?\b|#goal|\btokens?\s+(?:left|remaining|to\s+go)\b|\bcountdown\b")
_GOAL_WORDS = ("goal", "countdown", "left", "remaining", "to go")
# Numbers that are an age, a date or a clock time: masked before prices are looked for.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_AGE = re.compile(
    r"\b(?:i'?m|i\s+am|age\s*:?|aged)\s*\d{1,2}\b|\b\d{1,2}\s*(?:yo|y/o|y\.o\.|years?(?:\s+old)?|yrs?(?:\s+old)?)(?!\w)",
    re.IGNORECASE,
)
_AGE_WORDS = ("'m", "i am", "age", "yo", "y/o", "y.o", "year", "yr")
_DATE = re.compile(
    r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{1,2}/\d{1,2}\b"
    rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?!\w)|\b\d{1,2}\s*[ap]\.?m\b\.?|(?:\bat|@)\s*\d{1,2}\b",
    re.IGNORECASE,
)
_TIME_WORDS = (":", "am", "pm", "a.m", "p.m", "at", "@")


def _is_not_an_item(line: str, lowered: str) -> bool:
    if any(word in lowered for word in _GOAL_WORDS) and _GOAL.search(lowered):
        return True
    return bool(_THRESHOLD.search(line) and _LEVEL.search(lowered))


def _blank(found: re.Match) -> str:
    return "\x01" * len(found[0])


def _mask_non_prices(line: str, lowered: str) -> str:
    """`line` with ages, dates and clock times blanked out (same length, so spans still match)."""
    if any(word in lowered for word in _AGE_WORDS):
        line = _AGE.sub(_blank, line)
    if "/" in line or line.count(".") > 1 or line.count("-") > 1 or any(m in lowered for m in _MONTHS):
        line = _DATE.sub(_blank, line)
    if any(word in lowered for word in _TIME_WORDS):
        line = _TIME.sub(_blank, line)
    return line


# The plainest and commonest item line, read in one step: a name of letters, digits, spaces and a
# little punctuation, then a separator or a bracket, then a price ("Flash - 50 tokens", "Kiss (15)",
# "Oil show: 250tk"). Anything else takes the long way through _menu_item.
_DECOR = r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d\u2b50\u2728\u2022\u00b7~*]"
_PLAIN_SEPARATOR = r"(?:[-:=|>~\u2013\u2014\u279c\u2192\u27a1\u21d2\u00bb]+|\.{2,}|\u2026+)"
_PLAIN_NAME = r"(?P<item>[A-Za-z][A-Za-z0-9 '&!?.\-]*?[A-Za-z0-9!?)\]])"
_PLAIN_NUMBER = r"(?<!\d[-.,\u2013\u2014~])(?P<low>\d{1,3}(?:,\d{3}){1,2}|\d{1,7})(?![\d.,])"
_PLAIN_ITEM = re.compile(
    rf"(?:\s|{_DECOR})*{_PLAIN_NAME}(?:\s*{_DECOR})*"
    rf"\s*(?:{_PLAIN_SEPARATOR}\s*(?P<open>[(\[])?|(?P<bracket>[(\[]))\s*"
    rf"{_PLAIN_NUMBER}\s*(?i:tokens?|tks?|tkns?)?\.?\s*(?(open)[)\]])(?(bracket)[)\]])(?:\s|{_DECOR})*$"
)
# The same with the price first: "100 - Item", "[100] Item", "50tk Item".
_PLAIN_PRICE_FIRST = re.compile(
    r"\s*(?P<open>[(\[])?\s*(?P<low>\d{1,3}(?:,\d{3}){1,2}|\d{1,7})\s*(?(open)[)\]])"
    r"\s*(?:(?P<unit>tokens?|tks?|tkns?)\.?)?\s*(?P<sep>[-:=|>\u2013\u2014\u279c\u2192]+)?\s*"
    r"(?(sep)|(?(open)|(?(unit)|(?!))))"
    r"(?P<item>[A-Za-z][A-Za-z0-9 '&!?.\-]*?[A-Za-z0-9!?)\]])\s*$",
    re.IGNORECASE,
)
# Words that may make a plain item's name a goal, an age, a time or a toy level: such lines take
# the long way.
_SUSPECT_WORD = re.compile(
    "|".join(
        re.escape(word) for word in (*_GOAL_WORDS, *_AGE_WORDS, "vib", "level", "lvl", " at", "am", "pm")
    ),
    re.IGNORECASE,
)


# Words that, just before a bare number, make it part of a sentence ("back in 5", "top 3").
_PROSE_BEFORE_NUMBER = frozenset(
    {"at", "in", "on", "for", "of", "to", "by", "until", "till", "after", "before", "about", "around"}
    | {"than", "is", "are", "was", "am", "be", "the", "a", "an", "my", "your", "our", "his", "her", "top"}
    | {"only", "last", "next", "every", "all", "and", "or", "with", "from", "over", "under", "since", "just"}
)
_PROSE_OPENERS = frozenset(
    {"i", "i'm", "im", "i'll", "we", "we're", "you're", "it's", "its", "this", "that", "there"}
    | {"thanks", "thank"}
)
_MAX_BARE_WORDS = 5  # a bare "name number" reading with more words than this is a sentence

_STRONG_SEPARATOR = re.compile(r"\s+[|•·/~;]\s+|\s*;\s*")
_COMMA = re.compile(r",\s+")
# A price in brackets that ends a stretch of the line: "Flash (50) Kiss (20)" holds two.
_BRACKET_PRICE = re.compile(rf"[(\[{{]\s*{_NUMBER}\s*(?:{_UNIT})?\s*[)\]}}](?=\s|$)", re.IGNORECASE)


class TipMenuItem(NamedTuple):
    item: str
    tokens: int


@dataclass(frozen=True)
class TipMenu:
    items: list[TipMenuItem] = field(default_factory=list)


def _trim_decoration(text: str, keep_closing: bool = False) -> str:
    """Strip emoji, bullets and separators from both ends (keeping a closing bracket if asked).

    Angle brackets stay: "<3" is part of a name, and pasted markup must be shown as it was typed.
    """
    closing = ")]}" if keep_closing else ""
    if text and text[0].isalnum() and (text[-1].isalnum() or text[-1] in closing):
        return text  # most lines: nothing around them
    start, end = 0, len(text)
    while start < end and not (text[start].isalnum() or text[start] in "([{<>#$\"'"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in closing + "<>\"'!?"):
        end -= 1
    return text[start:end]


def _item_name(text: str, match: re.Match) -> str:
    name = _trim_decoration(text, keep_closing=True)
    if match["high"]:
        name += f" ({match['low']}-{match['high']}{' tokens' if match['unit'] else ''})"
    if match["per"]:
        name += " (per minute)"
    return name


def _split_separator(text: str) -> tuple[str, str]:
    """`text` as (item, separator): the separator is the run of spaces, punctuation, emoji and
    arrows (->, =>, >>) that ends it; brackets and angle brackets belong to the item."""
    end = len(text)
    while end:
        char = text[end - 1]
        if char == ">" and end > 1 and text[end - 2] in "-=>":
            end -= 2
        elif char.isalnum() or char in "_()[]{}<>":
            break
        else:
            end -= 1
    return text[:end], text[end:]


def _is_prose(name: str, *, number_after: bool) -> bool:
    """Whether a name read with a bare number (no unit, bracket or separator) is a sentence."""
    words = name.lower().split()
    if not words or len(words) > _MAX_BARE_WORDS or words[0] in _PROSE_OPENERS:
        return True
    return number_after and words[-1] in _PROSE_BEFORE_NUMBER


def _readings(line: str, masked: str) -> list[tuple[re.Match, str, bool]]:
    """Every way to read `line` as an item, most certain first: (price match, item text, bare)."""
    readings: list[tuple[re.Match, str, bool]] = []
    bracketed = _PRICE_IN_BRACKETS.match(masked)
    if bracketed:
        readings.append((bracketed, line[: bracketed.end("item")], False))
    after = _PRICE_AFTER.search(masked)
    item, separator = _split_separator(line[: after.start()]) if after else ("", "")
    before = _PRICE_BEFORE.match(masked)
    # A price after the item is certain when a unit or a separator marks it; a bare trailing
    # number ("Flash 50") is a weaker reading than "100 - Item 2", which reads from the front.
    if after and (after["unit"] or separator.strip()):
        readings.append((after, item, False))
    if before and (before["unit"] or before["sep"].strip() or before["open"]):
        readings.append((before, line[before.start("item") :], False))
    if after and separator:
        readings.append((after, item, True))
    return readings


def _menu_item(line: str) -> TipMenuItem | None:
    line = _trim_decoration(squeeze(line), keep_closing=True)
    if not _LETTER.search(line):
        return None
    lowered = line.lower()
    if _is_not_an_item(line, lowered):
        return None
    masked = _mask_non_prices(line, lowered)
    for match, text, bare in _readings(line, masked):
        name = _item_name(text, match)
        tokens = whole_number(match["low"])
        if tokens > 0 and _LETTER.search(name) and not (bare and _is_prose(name, number_after=True)):
            return TipMenuItem(item=name, tokens=tokens)
    return None


def _all_items(parts: list[str]) -> list[TipMenuItem] | None:
    items = [_menu_item(part) for part in parts]
    return items if all(items) else None  # type: ignore[return-value]


def menu_items(line: str) -> list[TipMenuItem]:
    """The items on one line: usually one, or several ("Flash 50 | Kiss 20", "Flash (50) Kiss (20)",
    "Flash 50, Kiss 20", "Flash | 50 | Kiss | 20"), in the order they were written."""
    plain = _PLAIN_ITEM.match(line) or _PLAIN_PRICE_FIRST.match(line)
    if plain and not _SUSPECT_WORD.search(plain["item"]):
        return [TipMenuItem(squeeze(plain["item"]), whole_number(plain["low"]))]
    if not _DIGIT.search(line) or (_THRESHOLD.search(line) and _LEVEL.search(line.lower())):
        return []  # no number, or toy levels ("low 1+ / medium 15+ / high 50+") however split
    parts = _STRONG_SEPARATOR.split(line)
    if len(parts) > 1:
        items = [item for item in map(_menu_item, parts) if item is not None]
        if len(items) > 1:
            return items
        if len(parts) % 2 == 0:  # "Flash | 50 | Kiss | 20": names and prices take turns
            paired = _all_items([f"{parts[i]} | {parts[i + 1]}" for i in range(0, len(parts), 2)])
            if paired and len(paired) > 1:
                return paired
    brackets = list(_BRACKET_PRICE.finditer(line))
    if len(brackets) > 1:
        ends = [0, *(found.end() for found in brackets)]
        items = [item for item in (_menu_item(line[a:b]) for a, b in pairwise(ends)) if item]
        if len(items) > 1:
            return items
    if ", " in line:
        listed = _all_items(_COMMA.split(line))
        if listed and len(listed) > 1:
            return listed
    item = _menu_item(line)
    return [item] if item is not None else []


def parse_tip_menu(text: str) -> TipMenu:
    """Parse a tip menu, one item per line or several on a line, in any of these shapes (units
    optional, any case):

    `Item Name - 100 tokens`, `100 - Item Name`, `Item Name: 100`, `Item Name (100)`,
    `Item | 100`, `[100] Item`, with tokens/token/tks/tk, extra whitespace, emoji, bullets and
    separators (dashes, : = | ➜ …) around. Lines that are not items are skipped: headings,
    decorations, toy levels ("low 1+ / medium 15+"), goals, ages, dates, clock times and sentences
    with a number in them. A range ("1-14 tokens") keeps its lower bound as the price and stays
    visible in the item's name, as does "per minute". Items keep the order they were written in.
    """
    return TipMenu(items=[item for line in plain_text(text).splitlines() for item in menu_items(line)])


# --- What changed between two menus ------------------------------------------------------------

_KEY_JUNK = re.compile(r"[\W_]+")


def item_key(name: str) -> str:
    """What two items' names are compared by: their letters and digits, in any case and spacing."""
    return _KEY_JUNK.sub(" ", name.casefold()).strip()


@dataclass(frozen=True)
class PriceChange:
    item: str
    old: int
    new: int


@dataclass(frozen=True)
class MenuChanges:
    """What a menu added, removed and re-priced against the one before it (in the newer menu's
    order for added and changed items, the older one's for removed items)."""

    added: list[TipMenuItem] = field(default_factory=list)
    removed: list[TipMenuItem] = field(default_factory=list)
    changed: list[PriceChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _by_key(menu: TipMenu) -> dict[str, TipMenuItem]:
    items: dict[str, TipMenuItem] = {}
    for item in menu.items:
        items.setdefault(item_key(item.item), item)  # a name listed twice: its first price counts
    return items


def menu_changes(previous: TipMenu, current: TipMenu) -> MenuChanges:
    """Items `current` added, removed and re-priced (old → new) compared with `previous`."""
    before, after = _by_key(previous), _by_key(current)
    return MenuChanges(
        added=[item for key, item in after.items() if key not in before],
        removed=[item for key, item in before.items() if key not in after],
        changed=[
            PriceChange(item=item.item, old=before[key].tokens, new=item.tokens)
            for key, item in after.items()
            if key in before and before[key].tokens != item.tokens
        ],
    )
