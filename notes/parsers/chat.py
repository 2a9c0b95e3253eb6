"""The parser of public chat copied from a room (or exported by the owner's bookmarklet).

A pure function from text to small immutable records; no HTML (see `notes.formatting`). The one
thing it needs from outside is optional: `known_people`, a function that answers which of a set of
usernames are people already in the database, so that colon-less lines from someone the log
never names otherwise are still read, and known people can be linked.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from notes.colors import chat_color
from notes.parsers import chat_lines as shape
from notes.parsers.text import plain_text, whole_number
from notes.parsers.tip_menu import TipMenu, TipMenuItem, menu_items

CHAT = "chat"
TIP = "tip"
MIN_MENU_ITEMS = 2  # one priced notice is a notice; two or more are a menu
MIN_NAME = 3  # the platform's shortest username: shorter starts of a line are not asked about

KnownPeople = Callable[[set[str]], Iterable[str]]


class ChatMessage(NamedTuple):
    """One line someone said (kind "chat") or a tip (kind "tip", with its tokens).

    `username` is lower-case, or "" when the speaker could not be told apart from the text (a
    colon-less line from someone who appears nowhere else). `time` is the clock time the copy kept.
    """

    username: str
    text: str
    kind: str = CHAT
    tokens: int | None = None
    is_broadcaster: bool = False
    time: str = ""

    @property
    def color(self) -> str:
        return chat_color(self.username)


class DroppedLine(NamedTuple):
    """A line that is neither a message nor a tip: its number in the paste, why, and its text."""

    number: int
    kind: str
    text: str

    @property
    def label(self) -> str:
        return shape.DROP_LABELS[self.kind]


@dataclass(frozen=True)
class Tip:
    username: str
    tokens: int


@dataclass(frozen=True)
class ChatLog:
    """A parsed chat log: what was said, in order, who said it, and every line left out."""

    messages: list[ChatMessage]
    users: dict[str, str]  # username → its colour, in order of first appearance
    tips: list[Tip]
    dropped_lines: list[DroppedLine]
    broadcaster: str | None = None
    people: frozenset[str] = frozenset()  # the users who are people in the database
    menu: TipMenu = field(default_factory=TipMenu)  # a tip menu posted in the room, if any
    menu_text: str = ""  # its lines, as a Tip Menu note would hold them

    @property
    def dropped(self) -> int:
        return len(self.dropped_lines)

    @property
    def dropped_by_kind(self) -> dict[str, int]:
        return dict(Counter(line.kind for line in self.dropped_lines).most_common())

    @property
    def tokens_tipped(self) -> int:
        return sum(tip.tokens for tip in self.tips)


class _Pending(NamedTuple):
    """A colon-less line, `{username}{message}`, to resolve once every name in the log is known."""

    number: int
    line: str
    time: str


_new = tuple.__new__  # builds a ChatMessage without NamedTuple's keyword handling: twice as fast
# Lines that may start with a timestamp, or be the bookmarklet's: never read by the one-step path.
_SECOND_LOOK_STARTS = frozenset("0123456789[(")
_EXPORT_STARTS = ("Timestamp:", "ChatType:", "timestamp:", "chattype:", "TIMESTAMP:", "CHATTYPE:")


def _is_bot(name: str) -> bool:
    return name.endswith("bot")


def _tip_note(match) -> str:
    return (match["note"] if match["note"] is not None else match["rest"] or "").strip()


class _Reader:
    """One pass over the lines; collects messages, drops, the names the log proves, menu lines."""

    def __init__(self, broadcaster: str | None):
        self.broadcaster = broadcaster
        self.known: set[str] = {broadcaster} if broadcaster else set()
        self.items: list[ChatMessage | _Pending] = []
        self.pending: list[int] = []  # where in `items` the colon-less lines are
        self.dropped: list[DroppedLine] = []
        self.menu_items: list[TipMenuItem] = []
        self.menu_lines: list[str] = []

    def drop(self, number: int, kind: str, line: str) -> None:
        self.dropped.append(DroppedLine(number, kind, line))

    def say(self, name: str, text: str, time: str, kind: str = CHAT, tokens: int | None = None) -> None:
        self.items.append(_new(ChatMessage, (name, text, kind, tokens, name == self.broadcaster, time)))

    def read(self, number: int, line: str) -> None:
        time = ""
        first = line[0]
        if first in shape.TIMESTAMP_STARTS:
            stamp = shape.TIMESTAMP.match(line)
            if stamp:
                time, line = stamp["time"], line[stamp.end() :]
                first = line[0]
        elif line.startswith(_EXPORT_STARTS) and self.read_export(number, line):
            return
        speaker = shape.SPEAKER.match(line) if ":" in line or "|" in line else None
        if speaker and speaker["badge"] and not speaker["badge_colon"]:
            # "name |100| text": unless the text is the platform's (a tip, a join), they said it.
            if ("ipped" in line or "IPPED" in line) and self.read_tip(number, line, time):
                return
            if shape.EVENT_AFTER_NAME.match(line, speaker.end("badge")):
                speaker = None
        if speaker:
            name = speaker["name"].lower()
            if name not in _RESERVED:
                self.known.add(name)  # a bot too, so that its colon-less lines are recognised
                text = speaker["text"].strip()
                if _is_bot(name):
                    self.drop(number, shape.BOT, line)
                elif not text:
                    self.drop(number, shape.EMPTY, line)
                else:
                    self.say(name, text, time)
                return
        if ("ipped" in line or "IPPED" in line) and self.read_tip(number, line, time):
            return
        if (not first.isalnum() or line[:4].lower() in shape.SYSTEM_PREFIXES) and self.read_system(
            number, line
        ):
            return
        lead = shape.LEAD.match(line)
        if lead and lead.end() < len(line):
            event = shape.EVENT_AFTER_NAME.match(line, lead.end())
            if event:
                kind = event.lastgroup
                name = lead["name"].lower()
                if kind in shape.NAME_PROVING_EVENTS:
                    self.known.add(name)
                    if (lead["role"] or "").lower() == "broadcaster" and not self.broadcaster:
                        self.broadcaster = name
                        self.known.add(name)
                self.drop(number, kind, line)
                return
        self.pending.append(len(self.items))
        self.items.append(_Pending(number, line, time))

    def read_system(self, number: int, line: str) -> bool:
        system = shape.SYSTEM_LINE.match(line)
        if not system:
            return False
        kind = system.lastgroup
        if kind == "notice_welcome":
            kind = shape.NOTICE
        elif kind == shape.APPS:
            name = system["apps_name"].lower()
            self.known.add(name)
            self.broadcaster = self.broadcaster or name
        if kind in (shape.NOTICE, shape.APP):
            text = system["notice_text"] if system["notice_text"] is not None else line
            label = shape.MENU_LABEL.match(text)
            text = text[label.end() :] if label else text
            found = menu_items(text)
            if found:
                self.menu_items.extend(found)
                self.menu_lines.append(text.strip())
                kind = shape.MENU
        self.drop(number, kind, line)
        return True

    def read_tip(self, number: int, line: str, time: str) -> bool:
        tip = shape.TIP.match(line)
        if not tip:
            return False
        name = tip["name"].lower()
        self.known.add(name)
        self.say(name, _tip_note(tip), time, TIP, whole_number(tip["tokens"]))
        return True

    def read_export(self, number: int, line: str) -> bool:
        """A line of the bookmarklet's export; False when it is not one after all."""
        export = shape.BOOKMARKLET.match(line)
        if not export:
            return False
        name, text, time = export["name"].strip().lower(), export["text"].strip(), export["time"].strip()
        if not shape.VALID_NAME.fullmatch(name):  # the room itself: notices, apps, joins
            if text:
                self.read(number, text)
            return True
        self.known.add(name)
        flagged = (export["broadcaster"] or "").lower() == "true"  # the export's word wins
        if flagged:
            self.broadcaster = self.broadcaster or name
        is_broadcaster = flagged or name == self.broadcaster
        if "tipped" in text.lower() or (export["channel"] or "").upper() == "TIPS":
            tip = shape.BOOKMARKLET_TIP.match(text)
            if tip:
                tokens = whole_number(tip["tokens"])
                self.items.append(ChatMessage(name, _tip_note(tip), TIP, tokens, is_broadcaster, time))
                return True
        if _is_bot(name):
            self.drop(number, shape.BOT, line)
        elif not text:
            self.drop(number, shape.EMPTY, line)
        else:
            self.items.append(ChatMessage(name, text, CHAT, None, is_broadcaster, time))
        return True


# Names a "name: text" line may not have: these lines are the room's own (see SYSTEM_LINE).
_RESERVED = frozenset(
    {"notice", "rules", "subject", "topic", "lovense", "lush", "domi", "nora", "hush", "goal", "menu"}
    | {"tipmenu", "countdown", "multigoal", "caution", "warning", "system"}
)


def _candidates(pending: list[_Pending], known: set[str]) -> set[str]:
    """The names the log proved, and every longer username a colon-less line could start with
    (only a longer one can win over the name the log already gives it)."""
    names = set(known)
    in_log = _resolver(known)
    for item in pending:
        run = shape.NAME_RUN.match(item.line)
        if run:
            lowered = run[0].lower()
            shortest = max(len(in_log(item.line)[0]) + 1, MIN_NAME)
            names.update(
                lowered[:length] for length in range(shortest, min(len(lowered), len(item.line) - 1) + 1)
            )
    return names


def _resolver(known: set[str]):
    """A function that splits a colon-less line into (known username, message), longest name first."""
    lengths = sorted({len(name) for name in known}, reverse=True)

    def resolve(line: str) -> tuple[str, str]:
        lowered = line[:64].lower()
        for length in lengths:
            if length < len(line) and lowered[:length] in known:
                return lowered[:length], line[length:].strip()
        return "", line

    return resolve


def _resolve(
    reader: _Reader, known_people: KnownPeople | None, given: str | None
) -> tuple[list[ChatMessage], frozenset[str]]:
    items = reader.items
    pending: list[_Pending] = [items[index] for index in reader.pending]  # type: ignore[misc]
    people: frozenset[str] = frozenset()
    if known_people is not None:
        people = frozenset(known_people(_candidates(pending, reader.known)))
    resolve = _resolver(reader.known | people)
    broadcaster = reader.broadcaster
    bots = False
    for index, item in zip(reader.pending, pending, strict=True):
        name, text = resolve(item.line)
        tip = shape.TIP_AFTER_NAME.match(text) if name and "ipped" in text.lower() else None
        if tip:
            tokens = whole_number(tip["tokens"])
            items[index] = ChatMessage(name, _tip_note(tip), TIP, tokens, name == broadcaster, item.time)
        elif _is_bot(name):
            reader.drop(item.number, shape.BOT, item.line)
            items[index] = None  # type: ignore[call-overload]
            bots = True
        else:
            items[index] = ChatMessage(name, text, CHAT, None, bool(name) and name == broadcaster, item.time)
    messages: list[ChatMessage] = [item for item in items if item is not None] if bots else items  # type: ignore[assignment]
    if broadcaster != given:  # the log named its broadcaster: mark their lines before that too
        messages = [
            m._replace(is_broadcaster=True) if m.username == broadcaster and not m.is_broadcaster else m
            for m in messages
        ]
    return messages, people


def parse_chat_log(
    text: str, broadcaster: str | None = None, *, known_people: KnownPeople | None = None
) -> ChatLog:
    """Parse public chat copied from a room, or the owner's bookmarklet export.

    Every non-blank line becomes a message, a tip, or a dropped line with the kind of line it is
    (joins and leaves, notices, rules, apps, toys, …; see `chat_lines`). Colon-less lines
    (`{username}{message}`) are read with the longest name among those the log proves (speakers,
    tippers, joins and leaves, the broadcaster) and those `known_people` confirms. A tip menu the
    room posted in notices is gathered in `menu`.
    """
    given = (broadcaster or "").strip().lower() or None
    reader = _Reader(given)
    # The commonest line, "name: text", is read here in one step; every other line, and any
    # "name: text" that needs a second look, goes through _Reader.read.
    speaker, read, append = shape.PLAIN_SPEAKER.match, reader.read, reader.items.append
    speakers: dict[str, tuple[str, bool] | None] = {}  # a name as written → (lower-cased, is broadcaster)
    for number, raw in enumerate(plain_text(text).splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        if first not in _SECOND_LOOK_STARTS and (first not in "TtCc" or not line.startswith(_EXPORT_STARTS)):
            said = speaker(line)
            if said is not None:
                written, message = said.group(1, 2)
                if written not in speakers:
                    name = written.lower()
                    plain = name not in _RESERVED and not name.endswith("bot")
                    speakers[written] = (name, name == given) if plain else None
                known = speakers[written]
                if known is not None and message:
                    append(_new(ChatMessage, (known[0], message, CHAT, None, known[1], "")))
                    continue
        read(number, line)
    reader.known.update(known[0] for known in speakers.values() if known is not None)
    messages, people = _resolve(reader, known_people, given)
    users = {name: chat_color(name) for name in dict.fromkeys(message[0] for message in messages) if name}
    tips = [Tip(m.username, m.tokens) for m in messages if m.kind == TIP and m.tokens is not None]
    menu_found = len(reader.menu_items) >= MIN_MENU_ITEMS
    return ChatLog(
        messages=messages,
        users=users,
        tips=tips,
        dropped_lines=sorted(reader.dropped),
        broadcaster=reader.broadcaster,
        people=frozenset(people.intersection(users)),
        menu=TipMenu(items=reader.menu_items if menu_found else []),
        menu_text="\n".join(reader.menu_lines) if menu_found else "",
    )
