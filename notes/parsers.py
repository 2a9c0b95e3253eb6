"""Parsers for what the owner pastes: public chat copied from a room, and broadcasters' tip menus.

Pure functions from text to small dataclasses; no database, no HTML (see `notes.formatting` for
the rendering). Both are written for text as it comes out of a browser's copy: usernames with or
without the colon after them, rating badges, system notices and app lines mixed in, emoji and
decorations around tip-menu items.
"""

import re
from dataclasses import dataclass, field, replace

from mhc.colors import color_for

# --- Public chat ------------------------------------------------------------------------------

CHAT = "chat"
TIP = "tip"

_NAME = r"[A-Za-z0-9_]{1,64}"
_BADGE = r"\|\d{1,4}\|"  # a user's rating badge, e.g. |100|
_TOKENS = r"(?P<tokens>\d{1,3}(?:,\d{3}){1,2}|\d{1,9})\s*(?:tokens?|tks?)\b"  # up to 999,999,999

# A clock time some copies keep in front of each line: "12:34", "[12:34:56]", "(9:05 PM)".
_TIMESTAMP = re.compile(r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?[\])]?\s+")
_TIMESTAMP_STARTS = frozenset("0123456789[(")
# Lines that are never chat: notices, the room's rules and subject, and what apps and bots write
# ("[Tip Menu] …", "*** GOAL REACHED ***", "Lovense: …").
_NOISE = re.compile(
    r"notice\s*:"
    r"|(?:room\s+(?:rules|subject|topic)|rules|subject|topic)\b[^:]{0,40}:"
    r"|room subject changed\b|welcome to\b.{0,80}\broom\b"
    r"|\[[^\]]{1,40}\]|[*=~#\-+]{3,}"
    r"|(?:tip\s*menu|menu|tip\s*goal|goal|lovense|lush|king\s+of\s+the\s+room|rotating\s+notifier"
    r"|countdown|multi\s*goal)\b\s*[:\-|>]",
    re.IGNORECASE,
)
# Someone joining or leaving (group "presence"), or tipping (groups "tokens" and "text").
_EVENT = re.compile(
    rf"(?P<name>{_NAME})\s*(?:{_BADGE}\s*)?(?:has\s+)?(?:"
    r"(?P<presence>(?:joined|left|entered|exited)\s+(?:the\s+)?(?:room|chat)"
    r"|is now following|started following)"
    r"(?:\s+as\s+an?\s+\w+)?\s*[.!]?$"
    rf"|tipped\s+{_TOKENS}\s*(?:[-\u2013\u2014:|]+\s*)?(?P<text>.*)$)",
    re.IGNORECASE,
)
# Someone speaking: "name: text", or "name |100| text" where the badge marks the name's end.
_SPEAKER = re.compile(rf"(?P<name>{_NAME})\s*(?:{_BADGE}\s*:?\s*(?P<after_badge>.*)|:(?:\s+(?P<text>.*)|$))")


@dataclass(frozen=True)
class ChatMessage:
    """One line someone said (kind "chat") or a tip (kind "tip", with its tokens).

    `username` is lower-case, or "" when the line's speaker could not be told apart from the text
    (a colon-less line from someone who appears nowhere else in the log).
    """

    username: str
    text: str
    kind: str = CHAT
    tokens: int | None = None
    is_broadcaster: bool = False

    @property
    def color(self) -> str:
        return color_for(self.username) if self.username else ""


@dataclass(frozen=True)
class Tip:
    username: str
    tokens: int


@dataclass(frozen=True)
class ChatLog:
    """A parsed chat log: what was said, in order, and who said it."""

    messages: list[ChatMessage]
    users: dict[str, str]  # username → its colour, in order of first appearance
    tips: list[Tip]
    dropped: int  # non-blank lines removed as noise (joins, leaves, notices, room info, apps)
    broadcaster: str | None = None

    @property
    def tokens_tipped(self) -> int:
        return sum(tip.tokens for tip in self.tips)


@dataclass
class _Pending:
    """A colon-less line, `{username}{message}`, to resolve once every name in the log is known."""

    line: str


def _tokens(text: str) -> int:
    return int(text.replace(",", ""))


def _is_bot(name: str) -> bool:
    return name.endswith("bot")


def _classify(line: str, known: set[str]) -> ChatMessage | _Pending | None:
    """What one non-blank line is: a message, a colon-less line to resolve later, or noise (None).

    Every username the line proves to exist is added to `known`.
    """
    if line[0] in _TIMESTAMP_STARTS:
        stamp = _TIMESTAMP.match(line)
        if stamp:
            line = line[stamp.end() :]
    if _NOISE.match(line):
        return None
    event = _EVENT.match(line)
    if event:
        known.add(event["name"].lower())
        if event["presence"]:
            return None
        return ChatMessage(event["name"].lower(), event["text"].strip(), TIP, _tokens(event["tokens"]))
    speaker = _SPEAKER.match(line)
    if speaker:
        name = speaker["name"].lower()
        text = (speaker["text"] if speaker["after_badge"] is None else speaker["after_badge"]) or ""
        known.add(name)  # a bot too, so that its colon-less lines are recognised and dropped
        if _is_bot(name) or not text.strip():
            return None
        return ChatMessage(name, text.strip())
    return _Pending(line)


def _resolver(known: set[str]):
    """A function that splits a colon-less line into (known username, message), longest name first."""
    lengths = sorted({len(name) for name in known}, reverse=True)

    def resolve(line: str) -> tuple[str, str]:
        lowered = line.lower()
        for length in lengths:
            if length < len(line) and lowered[:length] in known:
                return lowered[:length], line[length:].strip()
        return "", line

    return resolve


def parse_chat_log(text: str, broadcaster: str | None = None) -> ChatLog:
    """Parse public chat copied from a room.

    Chat lines are a username and the message, usually with a colon between them; where the copy
    lost the colon (`{username}{message}`), the username is recognised from the names seen
    elsewhere in the same log (speakers, tippers, joins and leaves) and the broadcaster's name,
    the longest matching name first. Rating badges (`|100|`) are dropped from the message. Joins
    and leaves, "Notice:" lines, room rules and subject lines, and app and bot lines are counted in
    `dropped` and left out. Tips ("alice tipped 50 tokens", with or without a message) become
    messages of kind "tip" and are listed in `tips`. The broadcaster's lines are marked.
    """
    broadcaster = (broadcaster or "").strip().lower() or None
    known: set[str] = {broadcaster} if broadcaster else set()
    classified: list[ChatMessage | _Pending] = []
    dropped = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        item = _classify(line, known)
        if item is None:
            dropped += 1
        else:
            classified.append(item)

    resolve = _resolver(known)
    messages: list[ChatMessage] = []
    for item in classified:
        if isinstance(item, _Pending):
            name, message = resolve(item.line)
            if _is_bot(name) or not message:
                dropped += 1
                continue
            item = ChatMessage(name, message)
        if broadcaster and item.username == broadcaster:
            item = replace(item, is_broadcaster=True)
        messages.append(item)

    users: dict[str, str] = {}
    for message in messages:
        if message.username and message.username not in users:
            users[message.username] = message.color
    tips = [Tip(m.username, m.tokens) for m in messages if m.kind == TIP and m.tokens is not None]
    return ChatLog(messages=messages, users=users, tips=tips, dropped=dropped, broadcaster=broadcaster)


# --- Tip menus --------------------------------------------------------------------------------

_NUMBER = r"(?:\d{1,3}(?:[,.]\d{3}){1,2}|\d{1,7})(?![,.]?\d)"  # a whole number, up to 9,999,999
_UNIT = r"(?:tokens?|tkns?|tks?)\.?"
_PER_MINUTE = r"(?:\s*(?:/|per)\s*min(?:ute)?\.?)?"
_AMOUNT = (
    rf"(?P<low>{_NUMBER})(?:[-\u2013\u2014](?P<high>{_NUMBER}))?\s*(?P<unit>{_UNIT})?(?P<per>{_PER_MINUTE})"
)

# "Item (100)", "Item [100 tk]"
_PRICE_IN_BRACKETS = re.compile(rf"^(?P<item>.+?)\s*[(\[{{]\s*{_AMOUNT}\s*[)\]}}]$", re.IGNORECASE)
# "Item - 100 tokens", "Item: 100", "Item ➜ 100tk", "Item 100": the price ends the line.
_PRICE_AFTER = re.compile(rf"(?<![\d,.]){_AMOUNT}$", re.IGNORECASE)
# "100 - Item", "100tk Item", "100 tokens: Item"
_PRICE_BEFORE = re.compile(rf"^{_AMOUNT}(?P<sep>[^\w]*)(?P<item>.*\w.*)$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_ITEM_SEPARATOR = re.compile(r"\s+[|•·]\s+")


@dataclass(frozen=True)
class TipMenuItem:
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
    start, end = 0, len(text)
    while start < end and not (text[start].isalnum() or text[start] in "([{<>#$\"'"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in closing + "<>\"'!?"):
        end -= 1
    return text[start:end]


def _amount(match: re.Match) -> int:
    return int(match["low"].replace(",", "").replace(".", ""))


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


def _menu_item(line: str) -> TipMenuItem | None:
    line = _trim_decoration(" ".join(line.split()), keep_closing=True)
    if not _LETTER.search(line):
        return None
    readings: list[tuple[re.Match, str]] = []
    bracketed = _PRICE_IN_BRACKETS.match(line)
    if bracketed:
        readings.append((bracketed, bracketed["item"]))
    after = _PRICE_AFTER.search(line)
    item, separator = _split_separator(line[: after.start()]) if after else ("", "")
    before = _PRICE_BEFORE.match(line)
    # A price after the item is certain when a unit or a separator marks it; a bare trailing
    # number ("Flash 50") is a weaker reading than "100 - Item 2", which reads from the front.
    if after and (after["unit"] or separator.strip()):
        readings.append((after, item))
    if before and (before["unit"] or before["sep"].strip()):
        readings.append((before, before["item"]))
    if after and separator:
        readings.append((after, item))
    for match, text in readings:
        name = _item_name(text, match)
        tokens = _amount(match)
        if tokens > 0 and _LETTER.search(name):
            return TipMenuItem(item=name, tokens=tokens)
    return None


def _menu_items(line: str) -> list[TipMenuItem]:
    """The items on one line: usually one, or several in a one-line menu ("Flash 50 | Kiss 20")."""
    parts = _ITEM_SEPARATOR.split(line)
    if len(parts) > 1:
        items = [item for item in map(_menu_item, parts) if item is not None]
        if len(items) > 1:
            return items
    item = _menu_item(line)
    return [item] if item is not None else []


def parse_tip_menu(text: str) -> TipMenu:
    """Parse a tip menu, one item per line, in any of these shapes (units optional, any case):

    `Item Name - 100 tokens`, `100 - Item Name`, `Item Name: 100`, `Item Name (100)`, with
    tokens/token/tks/tk, extra whitespace, emoji, bullets and separators (dashes, : = | ➜ …)
    around. Lines that are not items (headings, blank lines, decorations) are skipped. A range
    ("1-14 tokens") keeps its lower bound as the price and stays visible in the item's name, as
    does "per minute"; a one-line menu ("Flash 50 | Kiss 20") gives each of its items.
    """
    return TipMenu(items=[item for line in text.splitlines() for item in _menu_items(line)])
